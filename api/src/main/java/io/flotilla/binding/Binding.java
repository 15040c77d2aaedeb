package io.flotilla.binding;

import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.channel.Channel;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameSink;
import io.flotilla.frame.FrameWriter;
import io.flotilla.frame.ControlWord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    /**
     * Ends the rpc call with the frame's token with a failure: word 0 the {@link RpcStatus} code, words 1 to 6 the
     * first 48 bytes of the message in UTF-8, zero-padded.
     */
    static final int RPC_FAILED = ControlWord.FIRST_FRAMEWORK_MESSAGE + 2;
    /** The last frame of a binding end that closes: the peer fails its pending calls and refuses further sends. */
    static final int CLOSING = ControlWord.FIRST_FRAMEWORK_MESSAGE + 3;
    /** Bytes of a failure message one {@link #RPC_FAILED} frame carries. */
    static final int FAILURE_TEXT_BYTES = 6 * 8;

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

    /** {@link #receiver} if it is a generated decoder, which then gets each frame as words (see dispatch), or null. */
    private FrameDecoder decoder;
    /** The payload words of the frame being delivered to {@link #decoder}. */
    private final long[] frameWords = new long[Frame.PAYLOAD_WORDS];
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
    /** Why this binding can no longer send or receive (closed here, by the peer, or its channel lost); or null. */
    private String closedBecause;

    /** The rpcs of this end: who to fail, deadlines, abandoned tokens, interceptors. */
    private final PendingCalls calls = new PendingCalls();

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
        this.decoder = receiver instanceof FrameDecoder d ? d : null;
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
        if (closedBecause != null) {
            throw new RpcException(RpcStatus.CLOSED, closedBecause);
        }
        if (queueHead == queueTail && holdCount == 0) {
            FrameWriter direct = sendChannel.tryClaim();
            if (direct != null) {
                return direct;
            }
        }
        // Only here, off the fast path: a channel whose peer has gone has no room, and frames queued for it would
        // be lost without a word.
        if (!sendChannel.isOpen()) {
            throw new RpcException(RpcStatus.CLOSED, "the peer closed the channel");
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
            long control = queue[base + Frame.PAYLOAD_WORDS];
            sendChannel.claim().publish(control, queue, base, Frame.PAYLOAD_WORDS);
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
        if (closedBecause != null) {
            return 0;
        }
        if (calls.hasDeadlines()) {
            calls.expireDeadlines();
        }
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
        // A channel that reports its peer gone once everything it delivered has been read: nothing can answer.
        if (delivered == 0 && receiveChannel != null && !receiveChannel.isOpen() && closedBecause == null) {
            lost("the peer closed the channel");
        }
        return delivered;
    }

    /** Delivers a frame that arrived by another route (tests, a transport being drained) to the receiver. */
    public void deliver(FrameReader frame) {
        receiver.onFrame(frame);
    }

    public boolean isOpen() {
        return closedBecause == null && sendChannel.isOpen();
    }

    /**
     * Closes this end: flushes what the channel takes, tells the peer (its pending calls fail with
     * {@link RpcStatus#CLOSED} and its later sends fail at once), closes every channel still in use, and fails this
     * end's pending calls with {@link RpcStatus#CLOSED}. Frames still queued after the flush are dropped and their
     * continuations never run. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        if (closedBecause == null) {
            flush();
            if (queueHead == queueTail && holdCount == 0 && sendChannel.isOpen() && sendChannel.writableFrames() > 0) {
                sendChannel.claim().publish(ControlWord.of(CLOSING, 0, true, 0));
            }
        }
        closed = true;
        for (Channel c : live) {
            c.close();
        }
        lost("the binding was closed");
    }

    /** Why this binding can no longer be used, or null while it can. */
    public String closedBecause() {
        return closedBecause;
    }

    // ---- rpc calls -------------------------------------------------------------------------------------------

    /**
     * Registers the rpc calls of a stub on this end (generated stubs do this when made), so that failures reach
     * their callers.
     *
     * @param stubCalls the stub's pending calls
     */
    public void attachCalls(RpcCalls stubCalls) {
        calls.attach(stubCalls);
    }

    /**
     * Sets the clock deadlines are measured by; the event loop that polls this binding sets it (the CPU driver on
     * the kernel's platforms). The default is {@link RpcClock#SYSTEM}.
     *
     * @param clock the clock
     */
    public void setClock(RpcClock clock) {
        calls.setClock(clock);
    }

    /** @return the clock deadlines are measured by */
    public RpcClock clock() {
        return calls.clock();
    }

    /**
     * Gives the pending call with this token a deadline {@code timeout} from now on this binding's clock: if its
     * response has not arrived by then, it ends with {@link RpcStatus#DEADLINE_EXCEEDED}. Generated stubs call
     * this for calls made with a timeout.
     *
     * @param token the call's token
     * @param timeout how long the call may take
     */
    public void deadline(int token, Duration timeout) {
        calls.deadline(token, timeout);
    }

    /**
     * Cancels the pending call with this token: it ends now with {@link RpcStatus#CANCELLED}, and its response, if
     * it still comes, is dropped without an error. The server is not told (as with Barrelfish's rpcs, a served call
     * runs to its end).
     *
     * @param token the call's token
     * @return false if no call with that token was pending
     */
    public boolean cancel(int token) {
        return calls.cancel(token);
    }

    /**
     * Whether a response or failure for {@code token} may be dropped because its call was cancelled or ran out of
     * time (generated decoders ask before reporting a response nobody waits for); forgets the token.
     *
     * @param token the token of a response that found no call waiting
     * @return true if its call was abandoned
     */
    public boolean forgetAbandoned(int token) {
        return calls.forgetAbandoned(token);
    }

    /**
     * Adds an interceptor that watches this end's rpcs from now on.
     *
     * @param interceptor the interceptor
     */
    public void addInterceptor(RpcInterceptor interceptor) {
        calls.addInterceptor(interceptor);
    }

    /**
     * A generated stub sent a call. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     */
    public void called(InterfaceDescriptor iface, int call, int token) {
        calls.called(iface, call, token);
    }

    /**
     * A call made on this end ended, with its response or {@code failure}. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     * @param failure null for a response
     */
    public void ended(InterfaceDescriptor iface, int call, int token, RpcException failure) {
        calls.ended(iface, call, token, failure);
    }

    /**
     * A call arrived, before its handler runs. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     */
    public void served(InterfaceDescriptor iface, int call, int token) {
        calls.served(iface, call, token);
    }

    /**
     * This end answered a call it served. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     * @param failure null for a response
     */
    public void answered(InterfaceDescriptor iface, int call, int token, RpcStatus failure) {
        calls.answered(iface, call, token, failure);
    }















    /**
     * Ends the caller's pending call with this token on the peer with a failure (a server's handler threw, or its
     * response could not be sent). Does nothing once this binding is closed: the peer's calls fail then anyway.
     *
     * @param token the call's token
     * @param status the failure
     * @param message what went wrong; the first {@value #FAILURE_TEXT_BYTES} UTF-8 bytes travel
     */
    public void sendFailure(int token, RpcStatus status, String message) {
        if (closedBecause != null || !sendChannel.isOpen()) {
            return;
        }
        byte[] text = truncatedUtf8(message == null ? "" : message);
        FrameWriter w = claim();
        w.putWord(0, status.code());
        for (int i = 0; i < text.length; i++) {
            long word = (text[i] & 0xFFL) << ((i % 8) * 8);
            tmpWords[1 + i / 8] |= word;
        }
        for (int i = 1; i < 7; i++) {
            w.putWord(i, tmpWords[i]);
            tmpWords[i] = 0;
        }
        w.publish(ControlWord.of(RPC_FAILED, 0, true, token));
    }

    private final long[] tmpWords = new long[7];

    /**
     * A decoder rejected a message (called by {@link FrameDecoder}): a rejected response fails the call waiting for
     * it; anything else goes to the error handler, and a rejected call also goes back to its caller.
     */
    void rejected(BindingException error, RpcStatus status, boolean call, boolean response, int token) {
        if (response && token != 0
                && calls.fail(token, new RpcException(status, "the response was rejected: " + error.getMessage(), error))) {
            return;
        }
        fail(error);
        if (call && token != 0) {
            sendFailure(token, status, "the server rejected the call: " + error.getMessage());
        }
    }


    /** This binding can no longer be used: later sends fail at once, and every pending call fails now. */
    private void lost(String why) {
        if (closedBecause != null) {
            return;
        }
        closedBecause = why;
        calls.failAll(new RpcException(RpcStatus.CLOSED, why));
    }


    private static byte[] truncatedUtf8(String message) {
        byte[] all = message.getBytes(StandardCharsets.UTF_8);
        if (all.length <= FAILURE_TEXT_BYTES) {
            return all;
        }
        int n = FAILURE_TEXT_BYTES;
        while (n > 0 && (all[n] & 0xC0) == 0x80) {
            n--; // do not cut a character in two
        }
        return Arrays.copyOf(all, n);
    }

    private void peerFailedCall(FrameReader frame) {
        int token = ControlWord.token(frame.control());
        RpcStatus status = RpcStatus.ofCode((int) frame.word(0));
        byte[] text = new byte[FAILURE_TEXT_BYTES];
        int n = 0;
        for (int i = 0; i < FAILURE_TEXT_BYTES; i++) {
            byte b = (byte) (frame.word(1 + i / 8) >>> ((i % 8) * 8));
            if (b == 0) {
                break;
            }
            text[n++] = b;
        }
        String message = new String(text, 0, n, StandardCharsets.UTF_8);
        if (status == null) {
            status = RpcStatus.HANDLER_FAILED;
            message = "unknown status " + frame.word(0) + ": " + message;
        }
        if (!calls.fail(token, new RpcException(status, message)) && !calls.forgetAbandoned(token)) {
            fail(new BindingException("an rpc failure (" + status + ") arrived for token "
                    + Integer.toUnsignedString(token) + ", which no call is waiting for"));
        }
    }

    // ---- swapping --------------------------------------------------------------------------------------------

    /**
     * Moves this end to {@code next}, the end of a new channel whose other end the peer is given. Frames sent
     * from now on travel on {@code next}; see the class comment for the protocol.
     */
    public void swap(Channel next) {
        Objects.requireNonNull(next, "next");
        if (closedBecause != null) {
            throw new RpcException(RpcStatus.CLOSED, closedBecause);
        }
        live.add(next);
        int leaving = lastGeneration() - 1;
        // The marker goes through the ordinary send path, so it follows every frame already queued. If it goes
        // straight into the channel we leave that channel now; if it is queued, flush() leaves it when the marker
        // reaches the channel.
        // Whether it went straight in is what claim() did, not a look at the channel's room before it: the peer frees
        // slots concurrently, so a channel full at that look can have room by the claim, and a marker written into
        // the channel while this end stayed on it would strand every later frame behind it.
        FrameWriter marker = claim();
        boolean direct = marker != queueWriter;
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
        // A decoder gets the frame as its words, read with one call into the channel's reader: in a program whose
        // bindings use several transports every call through FrameReader is megamorphic, so one call a frame, not
        // one for the control word here and another for the words in the decoder (issue 19).
        FrameDecoder d = this.decoder;
        long[] into = d != null ? d.destination(this.frameWords) : null;
        int at = d != null ? d.destinationOffset() : 0;
        long control = d != null ? frame.read(into, at) : frame.control();
        int message = ControlWord.message(control);
        if (message < ControlWord.FIRST_FRAMEWORK_MESSAGE) {
            if (d != null) {
                d.take(control, into, at, frame);
            } else {
                receiver.onFrame(frame);
            }
        } else if (message == SWAP_MARKER) {
            peerLeft(frame.word(0));
        } else if (message == SWAP_ACK) {
            peerAcknowledged(frame.word(0));
        } else if (message == RPC_FAILED) {
            peerFailedCall(frame);
        } else if (message == CLOSING) {
            lost("the peer closed the binding");
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

        @Override
        public void publish(long control, long[] words, int offset, int count) {
            Frame.checkCount(words, offset, count);
            System.arraycopy(words, offset, queue, base, count);
            publish(control);
        }
    }
}
