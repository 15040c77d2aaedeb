package io.flotilla.binding;

import io.flotilla.cap.CapabilityTransfer;
import io.flotilla.channel.Channel;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameSink;
import io.flotilla.frame.FrameWriter;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One end of a connection between two dispatchers: what generated stubs talk to. It owns a {@link Channel} and
 * never exposes which transport that is.
 *
 * <p><b>Sending.</b> A stub writes a message frame by frame through {@link #claim()}. While nothing is queued and
 * the channel has room, a claim is the channel's own slot, so the codec writes straight into the transport buffer.
 * When the channel is full the binding queues frames in a ring of its own (Barrelfish instead makes the caller
 * retry; a queue keeps the split-phase API simple and costs nothing while the channel keeps up), and later
 * {@link #poll(int)} or {@link #flush()} calls move them on, in order. {@link #endMessage(Continuation)} marks the
 * end of a message and runs its continuation once the message's last frame is in the channel.
 *
 * <p><b>Receiving.</b> {@link #poll(int)} hands received frames to the receiver, normally a generated decoder.
 * Protocol errors the decoder finds go to {@link #fail(BindingException)} and from there to the error handler.
 *
 * <p><b>Threading.</b> A binding belongs to one event loop: all methods must be called from that one thread, as
 * handlers on one core never run concurrently. No method blocks or locks; in steady state none allocates.
 */
public final class Binding implements FrameSink {

    private static final int INITIAL_QUEUE_FRAMES = 16;

    private final Channel channel;
    private final CapabilityTransfer caps;
    private FrameHandler receiver = frame -> {
        throw new BindingException("frame received before a receiver was set: " + frame.control());
    };
    private Consumer<BindingException> errorHandler = Binding::logError;

    // Overflow queue: a ring of frames, 8 words each, control word last. queueHead/queueTail count frames.
    private long[] queue = new long[INITIAL_QUEUE_FRAMES * Frame.WORDS];
    private long queueHead;
    private long queueTail;
    private final QueueWriter queueWriter = new QueueWriter();

    // Continuations of queued messages, in order, each with the queue position of its message's last frame.
    private Continuation[] pendingContinuations = new Continuation[8];
    private long[] pendingEnds = new long[8];
    private int pendingHead;
    private int pendingCount;

    private int nextToken = 1;
    private boolean closed;

    public Binding(Channel channel, CapabilityTransfer caps) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.caps = Objects.requireNonNull(caps, "caps");
    }

    public Binding(Channel channel) {
        this(channel, CapabilityTransfer.NONE);
    }

    /** Sets the receiver of incoming frames (a generated decoder). */
    public void setReceiver(FrameHandler receiver) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    /** Sets what happens on a protocol error on this binding. The default logs it. */
    public void setErrorHandler(Consumer<BindingException> errorHandler) {
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    /** Reports a protocol error on this binding to its error handler. */
    public void fail(BindingException error) {
        errorHandler.accept(error);
    }

    public CapabilityTransfer caps() {
        return caps;
    }

    /** A fresh non-zero token for an rpc call. Tokens wrap after 2^32 - 1 calls, skipping 0. */
    public int nextToken() {
        int token = nextToken++;
        if (nextToken == 0) {
            nextToken = 1;
        }
        return token;
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    @Override
    public boolean hasRoomFor(int frames) {
        return queueHead == queueTail && channel.writableFrames() >= frames;
    }

    @Override
    public FrameWriter claim() {
        if (closed) {
            throw new IllegalStateException("binding closed");
        }
        if (queueHead == queueTail && channel.writableFrames() > 0) {
            return channel.claim();
        }
        return queueWriter.begin();
    }

    /**
     * Ends the message whose frames were just claimed. If all of them are in the channel the continuation runs
     * now, on this thread; otherwise it runs when the last of them leaves the queue.
     */
    public void endMessage(Continuation whenSent) {
        if (queueHead == queueTail) {
            if (whenSent != null) {
                whenSent.run();
            }
            return;
        }
        if (whenSent == null || whenSent == Continuation.NONE) {
            return;
        }
        if (pendingCount == pendingContinuations.length) {
            growPending();
        }
        int slot = (pendingHead + pendingCount) % pendingContinuations.length;
        pendingContinuations[slot] = whenSent;
        pendingEnds[slot] = queueTail;
        pendingCount++;
    }

    /** Frames waiting in this binding's queue because the channel was full. */
    public int queuedFrames() {
        return (int) (queueTail - queueHead);
    }

    /**
     * Moves queued frames into the channel while it has room, running the continuations of messages that have
     * left completely.
     *
     * @return frames moved
     */
    public int flush() {
        int moved = 0;
        int mask = queue.length / Frame.WORDS - 1;
        while (queueHead != queueTail && channel.writableFrames() > 0) {
            int base = (int) (queueHead & mask) * Frame.WORDS;
            FrameWriter w = channel.claim();
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                w.putWord(i, queue[base + i]);
            }
            w.publish(queue[base + Frame.PAYLOAD_WORDS]);
            queueHead++;
            moved++;
            while (pendingCount > 0 && pendingEnds[pendingHead] <= queueHead) {
                Continuation c = pendingContinuations[pendingHead];
                pendingContinuations[pendingHead] = null;
                pendingHead = (pendingHead + 1) % pendingContinuations.length;
                pendingCount--;
                c.run();
            }
        }
        return moved;
    }

    // ---- receiving -------------------------------------------------------------------------------------------

    /**
     * One turn of this binding in its event loop: flush queued frames, then deliver up to {@code limit} received
     * frames to the receiver.
     *
     * @return frames delivered
     */
    public int poll(int limit) {
        flush();
        return channel.poll(receiver, limit);
    }

    /** Delivers a frame that arrived by another route (tests, a transport being drained) to the receiver. */
    public void deliver(FrameReader frame) {
        receiver.onFrame(frame);
    }

    public boolean isOpen() {
        return !closed && channel.isOpen();
    }

    /** Closes the channel. Queued frames that never reached it are dropped; their continuations never run. */
    public void close() {
        closed = true;
        channel.close();
    }

    // ---- internals -------------------------------------------------------------------------------------------

    private void growPending() {
        int n = pendingContinuations.length;
        Continuation[] c = new Continuation[n * 2];
        long[] e = new long[n * 2];
        for (int i = 0; i < pendingCount; i++) {
            c[i] = pendingContinuations[(pendingHead + i) % n];
            e[i] = pendingEnds[(pendingHead + i) % n];
        }
        pendingContinuations = c;
        pendingEnds = e;
        pendingHead = 0;
    }

    private void growQueue() {
        int frames = queue.length / Frame.WORDS;
        long[] bigger = new long[queue.length * 2];
        int mask = frames - 1;
        long n = queueTail - queueHead;
        for (long i = 0; i < n; i++) {
            int from = (int) ((queueHead + i) & mask) * Frame.WORDS;
            int to = (int) ((queueHead + i) & (frames * 2L - 1)) * Frame.WORDS;
            System.arraycopy(queue, from, bigger, to, Frame.WORDS);
        }
        queue = bigger;
    }

    private static void logError(BindingException e) {
        System.getLogger(Binding.class.getName()).log(System.Logger.Level.WARNING, "binding error: " + e.getMessage());
    }

    /** Writes a frame into the tail of the overflow queue. */
    private final class QueueWriter implements FrameWriter {
        private int base;

        FrameWriter begin() {
            if (queueTail - queueHead == queue.length / Frame.WORDS) {
                growQueue();
            }
            base = (int) (queueTail & (queue.length / Frame.WORDS - 1)) * Frame.WORDS;
            Arrays.fill(queue, base, base + Frame.WORDS, 0L);
            return this;
        }

        @Override
        public void putWord(int index, long value) {
            if (index < 0 || index >= Frame.PAYLOAD_WORDS) {
                throw new IndexOutOfBoundsException("payload word " + index);
            }
            queue[base + index] = value;
        }

        @Override
        public void publish(long control) {
            queue[base + Frame.PAYLOAD_WORDS] = control;
            queueTail++;
        }
    }
}
