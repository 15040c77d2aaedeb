package io.flotilla.binding;

import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.channel.Channel;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameSink;
import io.flotilla.frame.FrameWriter;
import io.flotilla.frame.ControlWord;
import java.util.ArrayList;
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
 * <p><b>Swapping the channel.</b> {@link #swap(Channel)} moves the binding to a new channel while traffic flows,
 * with no frame lost, duplicated or reordered: drain-and-switch with a marker frame, as K42 hot-swaps objects.
 * Each end is told of the new channel by its own control plane (in the runtime, its monitor) and calls
 * {@code swap} with its end of it, in any order relative to the peer. On {@code swap} an end writes a marker as
 * the last frame of the old channel and sends everything after it on the new one; it keeps reading the old channel
 * until the peer's marker arrives there, then reads the new one. Having read the peer's marker it acknowledges it,
 * and an old channel is closed once both markers have passed and the peer has acknowledged ours, so neither end
 * can still need it. Swaps may follow each other before the earlier ones finish; both ends see the same sequence
 * of channels. Rpcs in flight complete, since their stubs and tokens do not depend on the channel.
 *
 * <p><b>Holding.</b> A {@link CapabilityTransfer} that moves a capability out of band calls {@link #hold()} before
 * the message's frames are written and {@link #release(long)} once the capability has arrived: frames from the hold
 * on (that message and every later one) wait in the queue meanwhile, so the peer never reads a reference to a
 * capability that is not there yet, and no later message overtakes. Messages without capabilities pay one comparison.
 *
 * <p><b>Passing message objects.</b> A claim is the channel's own slot only while nothing is queued or held, so a
 * frame carrying a message object ({@link FrameWriter#attach}, lrpc only) can only ever be written straight into
 * an lrpc channel: the queue's frames cannot carry one ({@link FrameWriter#canAttach()} is false there), so a stub
 * marshals a message that has to wait, and queued frames can go into whatever channel a later swap brings.
 *
 * <p><b>Threading.</b> A binding belongs to one event loop: all methods must be called from that one thread, as
 * handlers on one core never run concurrently. No method blocks or locks; in steady state none allocates.
 */
public final class Binding implements FrameSink {

    private static final int INITIAL_QUEUE_FRAMES = 16;

    /** Marks the last frame a side sends on a channel it is leaving; word 0 is that channel's generation. */
    static final int SWAP_MARKER = ControlWord.FIRST_FRAMEWORK_MESSAGE;
    /** Acknowledges the peer's marker; word 0 is the generation of the channel the marker ended. */
    static final int SWAP_ACK = ControlWord.FIRST_FRAMEWORK_MESSAGE + 1;

    private final CapabilityTransfer caps;

    // The channels this binding has used, by generation: generation g is live[g - firstGeneration]. Generations
    // below firstGeneration are closed. Swaps are rare; the hot paths use the two cached references below.
    private final ArrayList<Channel> live = new ArrayList<>();
    private int firstGeneration;
    private int sendGeneration;
    private int receiveGeneration;
    private int ackedGeneration;
    private Channel sendChannel;
    /** Null while the peer has moved to a channel this end has not been given yet. */
    private Channel receiveChannel;
    private final FrameHandler dispatch = this::dispatch;

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

    // Holds, in order: queue position of the first held frame, and whether the hold has been released. Frames at
    // or past the oldest unreleased hold stay in the queue; holdCount > 0 sends every new frame to the queue.
    private long[] holdAt = new long[4];
    private boolean[] holdReleased = new boolean[4];
    private long holdBase;
    private int holdCount;

    private int nextToken = 1;
    private boolean closed;

    public Binding(Channel channel, CapabilityTransfer caps) {
        this.caps = Objects.requireNonNull(caps, "caps");
        live.add(Objects.requireNonNull(channel, "channel"));
        sendChannel = channel;
        receiveChannel = channel;
        caps.attach(this);
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
        return queueHead == queueTail && holdCount == 0 && sendChannel.writableFrames() >= frames;
    }

    @Override
    public FrameWriter claim() {
        if (closed) {
            throw new IllegalStateException("binding closed");
        }
        if (queueHead == queueTail && holdCount == 0 && sendChannel.writableFrames() > 0) {
            return sendChannel.claim();
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
        while (queueHead != queueTail && sendChannel.writableFrames() > 0
                && (holdCount == 0 || queueHead < holdAt[(int) (holdBase % holdAt.length)])) {
            int base = (int) (queueHead & mask) * Frame.WORDS;
            FrameWriter w = sendChannel.claim();
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                w.putWord(i, queue[base + i]);
            }
            long control = queue[base + Frame.PAYLOAD_WORDS];
            w.publish(control);
            queueHead++;
            moved++;
            if (ControlWord.message(control) == SWAP_MARKER) {
                leaveSendChannel();
            }
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

    /**
     * Holds every frame claimed from now on in this binding's queue until {@link #release} of the returned hold
     * (and of every earlier one): called by a capability transfer before the frames of a message whose capability
     * is still travelling are written.
     *
     * @return the hold, for {@link #release}
     */
    public long hold() {
        if (holdCount == holdAt.length) {
            growHolds();
        }
        long id = holdBase + holdCount;
        holdAt[(int) (id % holdAt.length)] = queueTail;
        holdReleased[(int) (id % holdAt.length)] = false;
        holdCount++;
        return id;
    }

    /**
     * Ends a hold: once it and every earlier hold are released, the held frames move into the channel, in order,
     * now as far as the channel has room and the rest on later polls.
     *
     * @throws IllegalArgumentException if {@code hold} is not outstanding
     */
    public void release(long hold) {
        if (hold < holdBase || hold >= holdBase + holdCount || holdReleased[(int) (hold % holdAt.length)]) {
            throw new IllegalArgumentException("hold " + hold + " is not outstanding");
        }
        holdReleased[(int) (hold % holdAt.length)] = true;
        while (holdCount > 0 && holdReleased[(int) (holdBase % holdAt.length)]) {
            holdBase++;
            holdCount--;
        }
        if (!closed) {
            flush();
        }
    }

    /** Holds not yet released. */
    public int holds() {
        return holdCount;
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
        int delivered = 0;
        while (delivered < limit && receiveChannel != null) {
            Channel from = receiveChannel;
            delivered += from.poll(dispatch, limit - delivered);
            if (receiveChannel == from) {
                break;
            }
            // The peer's marker moved us to the next channel: go on reading there.
        }
        return delivered;
    }

    /** Delivers a frame that arrived by another route (tests, a transport being drained) to the receiver. */
    public void deliver(FrameReader frame) {
        receiver.onFrame(frame);
    }

    public boolean isOpen() {
        return !closed && sendChannel.isOpen();
    }

    /** Closes every channel still in use. Queued frames are dropped; their continuations never run. */
    public void close() {
        closed = true;
        for (Channel c : live) {
            c.close();
        }
    }

    // ---- swapping --------------------------------------------------------------------------------------------

    /**
     * Moves this end to {@code next}, the end of a new channel whose other end the peer is given. Frames sent
     * from now on travel on {@code next}; see the class comment for the protocol.
     */
    public void swap(Channel next) {
        Objects.requireNonNull(next, "next");
        if (closed) {
            throw new IllegalStateException("binding closed");
        }
        live.add(next);
        int leaving = lastGeneration() - 1;
        // The marker goes through the ordinary send path, so it follows every frame already queued. If it goes
        // straight into the channel we leave that channel now; if it is queued, flush() leaves it when the marker
        // reaches the channel.
        boolean direct = queueHead == queueTail && holdCount == 0 && sendChannel.writableFrames() > 0;
        FrameWriter marker = claim();
        marker.putWord(0, leaving);
        marker.publish(ControlWord.of(SWAP_MARKER, 0, true, 0));
        if (direct) {
            leaveSendChannel();
        }
        if (receiveChannel == null && receiveGeneration <= lastGeneration()) {
            receiveChannel = channel(receiveGeneration);
        }
        flush();
    }

    /** Generation of the newest channel; the first channel is generation 0 and each swap adds one. */
    public int generation() {
        return lastGeneration();
    }

    /** Channels not yet closed: 1 when no swap is in progress. */
    public int liveChannels() {
        return live.size();
    }

    private int lastGeneration() {
        return firstGeneration + live.size() - 1;
    }

    private Channel channel(int generation) {
        return live.get(generation - firstGeneration);
    }

    /** Called once our marker has been published on the send channel: later frames go to the next one. */
    private void leaveSendChannel() {
        sendGeneration++;
        sendChannel = channel(sendGeneration);
        closeFinishedChannels();
    }

    private void dispatch(FrameReader frame) {
        int message = ControlWord.message(frame.control());
        if (message < ControlWord.FIRST_FRAMEWORK_MESSAGE) {
            receiver.onFrame(frame);
        } else if (message == SWAP_MARKER) {
            peerLeft(frame.word(0));
        } else if (message == SWAP_ACK) {
            peerAcknowledged(frame.word(0));
        } else {
            fail(new BindingException("unknown framework message " + message + " ("
                    + ControlWord.toString(frame.control()) + ")"));
        }
    }

    private void peerLeft(long generation) {
        if (generation != receiveGeneration) {
            fail(new BindingException("swap marker for channel generation " + generation + " arrived on generation "
                    + receiveGeneration));
            return;
        }
        receiveGeneration++;
        receiveChannel = receiveGeneration <= lastGeneration() ? channel(receiveGeneration) : null;
        FrameWriter ack = claim();
        ack.putWord(0, generation);
        ack.publish(ControlWord.of(SWAP_ACK, 0, true, 0));
        closeFinishedChannels();
    }

    private void peerAcknowledged(long generation) {
        if (generation != ackedGeneration || generation >= sendGeneration) {
            fail(new BindingException("swap acknowledgement for channel generation " + generation
                    + " was not expected (next expected: " + ackedGeneration + ")"));
            return;
        }
        ackedGeneration++;
        closeFinishedChannels();
    }

    /**
     * Closes channels both ends are done with: we have sent our marker on it, read the peer's marker from it, and
     * the peer has acknowledged reading ours.
     */
    private void closeFinishedChannels() {
        while (firstGeneration < sendGeneration && firstGeneration < receiveGeneration
                && firstGeneration < ackedGeneration) {
            live.remove(0).close();
            firstGeneration++;
        }
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

    private void growHolds() {
        int n = holdAt.length;
        long[] at = new long[n * 2];
        boolean[] released = new boolean[n * 2];
        for (int i = 0; i < holdCount; i++) {
            int from = (int) ((holdBase + i) % n);
            int to = (int) ((holdBase + i) % (n * 2));
            at[to] = holdAt[from];
            released[to] = holdReleased[from];
        }
        holdAt = at;
        holdReleased = released;
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
            queue[base + Frame.checkWord(index)] = value;
        }

        @Override
        public void publish(long control) {
            queue[base + Frame.PAYLOAD_WORDS] = control;
            queueTail++;
        }
    }
}
