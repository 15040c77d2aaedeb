package io.flotilla.transport.net;

import io.flotilla.channel.Channel;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * One end of a {@code net} channel: the {@link Channel} its owner thread uses. Opened by
 * {@link NetTransport#connect} or handed to a server's acceptor.
 *
 * <p><b>Two threads.</b> The owner (one thread at a time, as {@link Channel} requires) claims, publishes and
 * polls; the Netty event loop that is this channel's home ({@link Session}) moves frames between the rings and the
 * socket. They share two {@link FrameRing}s and a wake-up flag and nothing else:
 * <ul>
 *   <li>outgoing: the owner produces (plain stores into the slot, then {@code out.head}); the event loop reads
 *       published slots into pooled buffers and releases a slot ({@code out.tail}) only when the peer has
 *       acknowledged the frame, so {@link #writableFrames()} counts unacknowledged frames too and a frame stays
 *       available for resending until the peer has it;
 *   <li>incoming: the event loop produces ({@code in.head}, release) and the owner consumes in {@link #poll},
 *       releasing slots by {@code in.tail}; what the owner has consumed is what the event loop acknowledges, so the
 *       peer never has more frames in flight than this ring holds.
 * </ul>
 * The release/acquire pairs on the ring indexes order slot contents (see {@link FrameRing}).
 *
 * <p><b>Wake-up.</b> After publishing, the owner must make sure the event loop will look at {@code out.head}
 * without a task per frame. {@link #kicked} is 1 while a drain is pending. The owner stores {@code out.head} and
 * then reads {@code kicked}; the event loop stores {@code kicked = 0} and then reads {@code out.head}. Both
 * pairs are sequentially consistent (volatile) accesses, a Dekker pattern: at least one side sees the other's
 * store, so either the owner sees 0 and schedules a drain, or the running drain sees the new head. (Release and
 * acquire alone would allow both loads to miss, losing a wake-up.) The owner pays one volatile store per frame and
 * one task hand-off per idle-to-busy transition, never a system call per frame.
 *
 * <p>Nothing here allocates per frame: {@link #claim()} returns this object as the {@link FrameWriter} and
 * {@link #poll} presents this object as the {@link FrameReader}.
 */
public final class NetChannel implements Channel, FrameWriter, FrameReader {

    private static final VarHandle KICKED;

    static {
        try {
            KICKED = MethodHandles.lookup().findVarHandle(NetChannel.class, "kicked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final FrameRing out;
    final FrameRing in;
    private Session session; // set once, before the channel is handed to its owner

    @SuppressWarnings("unused") // accessed through KICKED
    private volatile int kicked;
    /** This end may publish: false once either end closed or the session ended. */
    private volatile boolean open = true;
    /** The owner called {@link #close()}. */
    private volatile boolean closedHere;
    /**
     * No frame will arrive any more (the peer said goodbye, or the session ended). Written by the event loop after
     * its last release of {@code in.head}, so a reader that sees it true acquires the final head.
     */
    private volatile boolean inputEnded;
    /** The final reason, set once when the session ends. */
    private volatile String closeReason;
    private final CompletableFuture<CloseResult> ended = new CompletableFuture<>();
    /** The peer's address of the latest connection; written by the event loop, read by anyone. */
    private volatile java.net.SocketAddress remote;

    // Owner thread only.
    private long produced;
    private long ackedCache;
    private int claimBase = -1;
    private long consumed;
    private long receivedCache;
    private int readBase;
    private long consumedAtLastKick;
    private final int ackEvery;

    NetChannel(int outFrames, int inFrames) {
        this.out = new FrameRing(outFrames);
        this.in = new FrameRing(inFrames);
        this.ackEvery = Math.max(1, inFrames / 4);
    }

    void bind(Session s) {
        this.session = s;
    }

    Session session() {
        return session;
    }

    // ---- sending (owner thread) ----

    @Override
    public int writableFrames() {
        if (!open) {
            return 0;
        }
        ackedCache = out.tail.getAcquire();
        return (int) (out.capacity - (produced - ackedCache));
    }

    /** {@link #claim()} if there is room; overridden so that its calls are this class's (see {@link Channel}). */
    @Override
    public FrameWriter tryClaim() {
        return writableFrames() > 0 ? claim() : null;
    }

    @Override
    public FrameWriter claim() {
        if (claimBase >= 0) {
            throw new IllegalStateException("previous frame not published");
        }
        if (!open) {
            throw new IllegalStateException("channel closed: " + closeReason());
        }
        if (produced - ackedCache == out.capacity && writableFrames() == 0) {
            throw new IllegalStateException("channel full: check writableFrames() before claim()");
        }
        int base = out.base(produced);
        long[] w = out.words;
        for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
            w[base + i] = 0L; // unwritten payload words read as zero; the slot may hold an old frame
        }
        claimBase = base;
        return this;
    }

    @Override
    public void putWord(int index, long value) {
        if (claimBase < 0) {
            throw new IllegalStateException("no frame claimed");
        }
        out.words[claimBase + Frame.checkWord(index)] = value;
    }

    @Override
    public void publish(long control) {
        if (claimBase < 0) {
            throw new IllegalStateException("no frame claimed");
        }
        if (ControlWord.message(control) == 0) {
            throw new IllegalArgumentException("message number 0 is reserved for empty slots");
        }
        out.words[claimBase + Frame.PAYLOAD_WORDS] = control;
        claimBase = -1;
        produced++;
        out.head.setVolatile(produced); // volatile, not just release: see the wake-up argument above
        kick();
    }

    /** The words straight into the slot {@link #claim()} zeroed; {@link #publish(long)} orders them (volatile head). */
    @Override
    public void publish(long control, long[] words, int offset, int count) {
        Frame.checkCount(words, offset, count);
        if (claimBase < 0) {
            throw new IllegalStateException("no frame claimed");
        }
        System.arraycopy(words, offset, out.words, claimBase, count);
        publish(control);
    }

    // ---- receiving (owner thread) ----

    @Override
    public int poll(FrameHandler handler, int limit) {
        long available = receivedCache - consumed;
        if (available < limit) {
            receivedCache = in.head.getAcquire();
            available = receivedCache - consumed;
        }
        int n = (int) Math.min(available, limit);
        int delivered = 0;
        try {
            while (delivered < n) {
                readBase = in.base(consumed);
                try {
                    handler.onFrame(this);
                } finally {
                    consumed++;
                    delivered++;
                }
            }
        } finally {
            if (delivered > 0) {
                in.tail.setRelease(consumed); // hands the slots back to the event loop, after our last read
                if (consumed - consumedAtLastKick >= ackEvery) {
                    consumedAtLastKick = consumed; // the peer's window is filling: get an ack out now
                    kick();
                }
            }
        }
        return delivered;
    }

    @Override
    public long control() {
        return in.words[readBase + Frame.PAYLOAD_WORDS];
    }

    @Override
    public long word(int index) {
        return in.words[readBase + Frame.checkWord(index)];
    }

    @Override
    public long read(long[] dst, int offset) {
        Frame.checkRange(dst, offset);
        System.arraycopy(in.words, readBase, dst, offset, Frame.PAYLOAD_WORDS);
        return in.words[readBase + Frame.PAYLOAD_WORDS];
    }


    // ---- state ----

    /** Frames that may be unacknowledged at once: the smaller of this end's ring and the peer's. */
    @Override
    public int capacity() {
        return out.capacity;
    }

    /**
     * False once this end is closed; otherwise false once no frame can arrive any more (the peer closed, or the
     * connection was lost for good: reconnect attempts spent, a server's session expired) <em>and</em> every frame
     * that did arrive has been polled. So a peer's frames published before its close are all seen by {@link #poll}
     * before this reports false.
     */
    @Override
    public boolean isOpen() {
        if (closedHere) {
            return false;
        }
        if (!inputEnded) {
            return true;
        }
        return in.tail.getAcquire() < in.head.getAcquire();
    }

    /**
     * Why the channel is closed or closing: null while both ends are open; while this end's close still waits for
     * the peer, a line saying so; once the session has ended, its final reason (with the count of frames not
     * confirmed delivered, if any).
     */
    public String closeReason() {
        String r = closeReason;
        if (r != null) {
            return r;
        }
        if (closedHere) {
            return "closing: waiting for the peer to acknowledge the frames this end published";
        }
        return inputEnded ? "closed by the peer" : null;
    }

    /**
     * Completes, on the channel's event loop, when the session has ended for any reason: this end's close finished
     * (or its {@link NetConfig#closeLinger()} ran out), the peer closed, or the connection was lost for good. The
     * {@link CloseResult} says why and how many published frames the peer did not confirm. Each call returns a new
     * dependent future, so a caller's cancel or complete does not affect the channel or other callers. Dependent
     * actions run on the event loop unless given an executor: keep them short.
     */
    public CompletableFuture<CloseResult> closeFuture() {
        return ended.copy();
    }

    /**
     * The peer's address on the connection this channel uses or used last (a resumed connection may come from
     * another port); null only before the first connection is attached. For log lines that must name the peer.
     */
    public java.net.SocketAddress remoteAddress() {
        return remote;
    }

    void remote(java.net.SocketAddress address) {
        this.remote = address;
    }

    /** The session id both ends agreed in the handshake; a resumed connection carries the same one. */
    public long sessionId() {
        return session.id;
    }

    /** Connections this channel has had after its first: how often it resumed after a lost connection. */
    public long resumes() {
        return session.resumes();
    }

    /**
     * Closes this end without blocking: {@link #claim()} fails and {@link #writableFrames()} is 0 from now on, and
     * {@link #isOpen()} is false. The session lives on until the peer has acknowledged every frame published before
     * this call (resending across reconnects as usual), then says goodbye; if that takes longer than
     * {@link NetConfig#closeLinger()}, it ends anyway and {@link #closeReason()} and {@link #closeFuture()} report
     * how many frames were not confirmed delivered (also logged as a warning naming the peer). Frames that arrive
     * from the peer after this call are discarded. Idempotent; callable from any thread.
     */
    @Override
    public void close() {
        if (!closedHere) {
            closedHere = true;
            open = false;
            session.closeLocally();
        }
    }

    /**
     * As {@link #close()}, for an owner that knows its peer has stopped consuming (the peer said, in its own
     * protocol, that it is leaving): frames it has not confirmed are expected to be lost, so their count is reported
     * by {@link #closeReason()} and {@link #closeFuture()} as usual but not logged as a warning. Idempotent; any
     * thread.
     */
    public void closeExpectingLoss() {
        session.expectLoss();
        close();
    }

    /** Event loop: the peer said goodbye after its last frame; nothing more will arrive, nothing more may go. */
    void peerClosed() {
        open = false;
        inputEnded = true;
    }

    /** Called once when the session ends for any reason (any thread, once the event loop is gone). */
    void ended(String reason, long unconfirmedFrames) {
        if (closeReason == null) {
            closeReason = reason;
        }
        open = false;
        inputEnded = true;
        ended.complete(new CloseResult(closeReason, unconfirmedFrames));
    }

    /** Frames published and not acknowledged by the peer; safe from any thread. */
    long unacknowledged() {
        return out.head.getVolatile() - out.tail.getAcquire();
    }

    // ---- wake-up (any thread / event loop) ----

    private void kick() {
        if ((int) KICKED.getVolatile(this) == 0 && KICKED.compareAndSet(this, 0, 1)) {
            session.wake();
        }
    }

    /** Event loop, before it reads {@code out.head} or {@code in.tail}: see the wake-up argument above. */
    void clearKick() {
        KICKED.setVolatile(this, 0);
    }

    @Override
    public String toString() {
        String r = closeReason();
        return "NetChannel[session=" + Long.toHexString(session.id) + (r == null ? ", open]" : ", " + r + "]");
    }
}
