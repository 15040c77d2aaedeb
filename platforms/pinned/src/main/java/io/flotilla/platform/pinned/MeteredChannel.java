package io.flotilla.platform.pinned;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.Tracer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToLongFunction;

/**
 * A channel end that reports every frame it sends and receives to a {@link Tracer} (the multikernel's metrics and
 * trace), as the simulator's channels do: {@code frameSent}, {@code sent} at a message's first frame,
 * {@code frameReceived}, and {@code received} with the delivery latency when a message's last frame is handed to its
 * handler. The real transports report nothing themselves; the pinned platform wraps the ends it opens in these.
 *
 * <p>Latency needs the send time on the receiving core: the two ends of a pair share a ring of send times per
 * direction, indexed by frame sequence. The sender writes a frame's slot before publishing the frame (the channel's
 * release store publishes it too) and the receiver reads it after taking the frame (its acquire load), so the ring
 * needs no synchronisation of its own; it holds twice a channel's capacity, more than can be in flight. Nothing
 * here allocates: each end is its own {@link FrameWriter} and {@link FrameHandler}, wrapping the inner ones per call.
 *
 * <p>What it costs is chosen once, when the pair is made ({@link #pair}): with a trace ({@code sampled == false})
 * every message is timed and reported with its flow; for the metrics alone ({@code sampled == true}) only every
 * {@link #SAMPLE}th frame sequence is timed (both ends know which from the sequence, so they agree without a word),
 * the others are counted. Reading the clock on both cores costs two {@code System.nanoTime()} calls a message,
 * more than a urpc frame itself; a 1-in-64 sample keeps the latency distribution (the sample does not depend on
 * the latency) at a 64th of the price. The choice is a final field of the end, read by the thread that owns it; no
 * shared state is consulted per frame.
 *
 * <p>An end whose peer lives in another JVM ({@link #counting}) only counts: it cannot see the peer's send times.
 */
public final class MeteredChannel extends MeteredEndState implements Channel, FrameWriter, FrameHandler {

    private static final AtomicLong CHANNELS = new AtomicLong();

    /** Messages per timed one when sampling: a power of two. */
    public static final int SAMPLE = 64;

    private final Channel inner;
    private final int core;
    private final int peerCore;
    private final Tracer tracer;
    private final IntToLongFunction clock;
    private final long[] sendStamps; // written by this end, read by the peer; null when only counting
    private final long[] receiveStamps; // the peer's sendStamps
    private final int mask;
    /** 0: time every message; SAMPLE - 1: time the messages whose first frame's sequence is a multiple of SAMPLE. */
    private final long sampleMask;
    private final long flowBase;
    /** Padding after the state (see {@link PaddedEnd}): whatever the heap puts next is at least 128 bytes away. */
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    private MeteredChannel(Channel inner, int core, int peerCore, Tracer tracer, IntToLongFunction clock,
            long[] sendStamps, long[] receiveStamps, long flowBase, boolean sampled) {
        this.inner = inner;
        this.core = core;
        this.peerCore = peerCore;
        this.tracer = tracer;
        this.clock = clock;
        this.sendStamps = sendStamps;
        this.receiveStamps = receiveStamps;
        this.mask = sendStamps == null ? 0 : sendStamps.length - 1;
        this.flowBase = flowBase;
        this.sampleMask = sampled ? SAMPLE - 1 : 0;
    }

    /**
     * Wraps both ends of {@code pair}: {@code left} on {@code coreA}, {@code right} on {@code coreB}; {@code clock}
     * gives a core's time in cycles. Every message is timed.
     */
    public static ChannelPair pair(ChannelPair pair, int coreA, int coreB, Tracer tracer, IntToLongFunction clock) {
        return pair(pair, coreA, coreB, tracer, clock, false);
    }

    /** As {@link #pair(ChannelPair, int, int, Tracer, IntToLongFunction)}; {@code sampled}: time 1 in {@link #SAMPLE}. */
    public static ChannelPair pair(ChannelPair pair, int coreA, int coreB, Tracer tracer, IntToLongFunction clock,
            boolean sampled) {
        int capacity = Math.max(pair.left().capacity(), pair.right().capacity());
        int size = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;
        long[] ab = new long[size];
        long[] ba = new long[size];
        // Flow ids: a channel number in the high bits, a direction bit, the frame sequence below.
        long base = CHANNELS.incrementAndGet() << 41;
        return new ChannelPair(
                new MeteredChannel(pair.left(), coreA, coreB, tracer, clock, ab, ba, base, sampled),
                new MeteredChannel(pair.right(), coreB, coreA, tracer, clock, ba, ab, base | 1L << 40, sampled));
    }

    /**
     * Wraps an end on {@code core} whose peer is in another JVM: frames and messages are counted, not timed (a
     * received message is reported with flow and send time -1).
     */
    public static MeteredChannel counting(Channel end, int core, Tracer tracer, IntToLongFunction clock) {
        return new MeteredChannel(end, core, -1, tracer, clock, null, null, 0, false);
    }

    // ---- sending ----

    @Override
    public int writableFrames() {
        return inner.writableFrames();
    }

    @Override
    public FrameWriter claim() {
        writer = inner.claim();
        return this;
    }

    /** The wrapped channel's own {@code tryClaim}: one call into it, as a binding makes. */
    @Override
    public FrameWriter tryClaim() {
        writer = inner.tryClaim();
        return writer == null ? null : this;
    }

    @Override
    public void putWord(int index, long value) {
        writer.putWord(index, value);
    }

    /** Passes lrpc's object hand-off through: the frame is still counted and traced when it is published. */
    @Override
    public boolean canAttach() {
        return writer.canAttach();
    }

    @Override
    public void attach(Object message) {
        writer.attach(message);
    }

    @Override
    public void publish(long control) {
        metered(control).publish(control);
    }

    /** Passed on as one call, so that the wrapped transport copies the frame its own way (not word by word here). */
    @Override
    public void publish(long control, long[] words, int offset, int count) {
        metered(control).publish(control, words, offset, count);
    }

    /** Counts and traces the frame about to be published with {@code control}; returns the claimed writer. */
    private FrameWriter metered(long control) {
        boolean first = ControlWord.fragment(control) == 0;
        if (sendStamps != null && first && (sent & sampleMask) == 0) {
            long now = clock.applyAsLong(core);
            sendStamps[(int) (sent & mask)] = now;
            tracer.sent(core, peerCore, flowBase + sent, now);
        }
        tracer.frameSent(core, ControlWord.isLast(control));
        sent++;
        FrameWriter w = writer;
        writer = null;
        return w;
    }

    // ---- receiving ----

    @Override
    public int poll(FrameHandler h, int limit) {
        // A binding polls with the same handler every time: no reference store (and its GC write barrier) per poll.
        if (handler != h) {
            handler = h;
        }
        return inner.poll(this, limit);
    }

    @Override
    public void onFrame(FrameReader frame) {
        long control = frame.control();
        tracer.frameReceived(core);
        if (receiveStamps == null) {
            if (ControlWord.isLast(control)) {
                tracer.received(core, -1, -1, clock.applyAsLong(core)); // counted; no latency across JVMs
            }
        } else {
            if (ControlWord.fragment(control) == 0) {
                // The sender stamped this frame if and only if its sequence passes the same test.
                boolean timed = (received & sampleMask) == 0;
                messageSentAt = timed ? receiveStamps[(int) (received & mask)] : -1;
                messageFlow = timed ? (flowBase ^ 1L << 40) + received : -1;
            }
            if (ControlWord.isLast(control)) {
                tracer.received(core, messageFlow, messageSentAt, messageSentAt < 0 ? -1 : clock.applyAsLong(core));
            }
        }
        received++;
        handler.onFrame(frame);
    }

    // ---- the rest ----

    @Override
    public int capacity() {
        return inner.capacity();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "metered " + inner;
    }
}
