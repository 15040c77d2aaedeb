package io.flotilla.transport.loopback;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An in-memory channel between two ends in one process, on the heap: two single-producer single-consumer rings of
 * frames, one per direction. It is the reference implementation of the {@link Channel} contract that the
 * generated stubs are tested against; the shared-memory transport (URPC) follows the same protocol off-heap.
 *
 * <p>Memory ordering: each ring has a producer index and a consumer index, each written by one side only. The
 * producer writes a slot's payload words with plain stores and then publishes the slot by a release store of its
 * control word; the consumer reads the control word with an acquire load, so the payload it then reads is the one
 * written before the release. A non-zero control word marks a full slot (message numbers are never 0). After
 * handling a frame the consumer zeroes the control word and advances its index with a release store, which is what
 * the producer acquires before reusing the slot.
 */
public final class LoopbackChannel implements Channel, FrameWriter, FrameReader {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** One direction: slot i occupies words [i*8, i*8+8), control word last. */
    private static final class Ring {
        final long[] words;
        final int mask;
        /** Next slot the producer writes. Written by the producer only. */
        long produced;
        /** Slots the consumer has released; written by the consumer with release, read by the producer. */
        final long[] consumed = new long[16]; // index 0 used; padded against false sharing with neighbours

        Ring(int slots) {
            this.words = new long[slots * Frame.WORDS];
            this.mask = slots - 1;
        }
    }

    private final Ring tx;
    private final Ring rx;
    private final int capacity;
    private volatile boolean open = true;
    private LoopbackChannel peer;

    /** Consumer position in rx; only this end reads it. */
    private long rxPosition;
    /** Producer's cached view of the consumer's progress, to avoid reading the shared index every send. */
    private long txConsumedCache;
    /** Base word index of the slot being written or read. */
    private int txBase = -1;
    private int rxBase;

    private LoopbackChannel(Ring tx, Ring rx, int capacity) {
        this.tx = tx;
        this.rx = rx;
        this.capacity = capacity;
    }

    /**
     * Opens a channel with {@code slots} frames per direction.
     *
     * @param slots a power of two, at least 2
     */
    public static ChannelPair open(int slots) {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two >= 2: " + slots);
        }
        Ring ab = new Ring(slots);
        Ring ba = new Ring(slots);
        LoopbackChannel a = new LoopbackChannel(ab, ba, slots);
        LoopbackChannel b = new LoopbackChannel(ba, ab, slots);
        a.peer = b;
        b.peer = a;
        return new ChannelPair(a, b);
    }

    /**
     * Reads the consumer's index afresh whenever the cached view shows any slot in use: a cache refreshed only
     * when the ring looks full would under-report forever after the peer drains it, and a caller waiting for room
     * for a multi-frame message would wait for ever. This channel is the reference implementation, so it favours
     * an exact answer over saving the load; URPC makes the other trade-off explicitly.
     */
    @Override
    public int writableFrames() {
        if (tx.produced != txConsumedCache) {
            txConsumedCache = (long) LONGS.getAcquire(tx.consumed, 0);
        }
        return (int) (capacity - (tx.produced - txConsumedCache));
    }

    /** {@link #claim()} if there is room; overridden so that its calls are this class's (see {@link Channel}). */
    @Override
    public FrameWriter tryClaim() {
        return writableFrames() > 0 ? claim() : null;
    }

    @Override
    public FrameWriter claim() {
        if (txBase >= 0) {
            throw new IllegalStateException("previous frame not published");
        }
        if (!open) {
            throw new IllegalStateException("channel closed");
        }
        if (writableFrames() == 0) {
            throw new IllegalStateException("channel full: check writableFrames() before claim()");
        }
        txBase = (int) (tx.produced & tx.mask) * Frame.WORDS;
        return this;
    }

    @Override
    public void putWord(int index, long value) {
        tx.words[txBase + Frame.checkWord(index)] = value;
    }

    @Override
    public void publish(long control) {
        if (ControlWord.message(control) == 0) {
            throw new IllegalArgumentException("message number 0 is reserved for empty slots");
        }
        LONGS.setRelease(tx.words, txBase + Frame.PAYLOAD_WORDS, control);
        tx.produced++;
        txBase = -1;
    }

    /**
     * The words with plain stores, then {@link #publish(long)}'s release store of the control word, which orders them
     * before it for the poll's acquire load.
     */
    @Override
    public void publish(long control, long[] words, int offset, int count) {
        Frame.checkCount(words, offset, count);
        if (txBase < 0) {
            throw new IllegalStateException("publish without claim");
        }
        System.arraycopy(words, offset, tx.words, txBase, count);
        publish(control);
    }

    @Override
    public int poll(FrameHandler handler, int limit) {
        int delivered = 0;
        while (delivered < limit) {
            int base = (int) (rxPosition & rx.mask) * Frame.WORDS;
            long control = (long) LONGS.getAcquire(rx.words, base + Frame.PAYLOAD_WORDS);
            if (control == 0) {
                break;
            }
            rxBase = base;
            try {
                handler.onFrame(this);
            } finally {
                // Clear the payload so a later partial write never shows stale words, then free the slot.
                for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                    rx.words[base + i] = 0L;
                }
                rx.words[base + Frame.PAYLOAD_WORDS] = 0L;
                rxPosition++;
                LONGS.setRelease(rx.consumed, 0, rxPosition);
            }
            delivered++;
        }
        return delivered;
    }

    @Override
    public long control() {
        return rx.words[rxBase + Frame.PAYLOAD_WORDS];
    }

    @Override
    public long word(int index) {
        return rx.words[rxBase + Frame.checkWord(index)];
    }

    @Override
    public long read(long[] dst, int offset) {
        Frame.checkRange(dst, offset);
        System.arraycopy(rx.words, rxBase, dst, offset, Frame.PAYLOAD_WORDS);
        return rx.words[rxBase + Frame.PAYLOAD_WORDS];
    }


    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    /** The other end. */
    public LoopbackChannel peer() {
        return peer;
    }
}
