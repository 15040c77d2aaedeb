package io.flotilla.transport.net;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The event-loop side of a {@link NetChannel}: it outlives connections. Each TCP connection that carries the
 * session is a {@link Link}; when one is lost the session keeps every unacknowledged frame in the outgoing ring,
 * and when the next link is attached it resends them from the last acknowledged one. The receiver drops what it
 * already has by sequence number, so across any number of cuts every frame arrives once and in order.
 *
 * <p>Every field here is confined to {@link #home}, the one event loop that runs all of the session's code; a
 * link that lives on another event loop hands its records over to {@code home} as tasks (see {@link Link}), in
 * order. So this class needs no locks; its only shared state is the channel's rings and wake-up flag, whose
 * ordering {@link NetChannel} explains.
 */
abstract class Session {

    final long id;
    final NetChannel channel;
    final EventLoop home;
    final NetConfig config;
    final PeerLog log;
    private final int sendBatch;
    private final Runnable ioTask = this::runIo;
    private final Runnable ackTask = this::ackTick;
    private Runnable onClosed = () -> {};

    private Link link;
    private boolean closed;
    /** The owner closed the channel: send what it published, then BYE, then wait for the peer's BYE. */
    private boolean closing;
    /** BYE went out on the current link (each new link needs its own, after the resent frames). */
    private boolean byeOnLink;
    /** The peer's BYE arrived: it publishes and consumes nothing more. */
    private boolean peerBye;
    /** Bounds {@link #closing}: {@link NetConfig#closeLinger()}. */
    private ScheduledFuture<?> lingerTimer;
    /** Set by the owner (any thread) before its close: unconfirmed frames at the end are no surprise. */
    private volatile boolean lossExpected;
    private long resumes;
    private boolean attachedOnce;
    /** Position of the next outgoing frame to write to the current link. */
    private long sent;
    /** Highest outgoing position ever written to any link: a peer may not acknowledge beyond it. */
    private long sentMax;
    /** Outgoing frames the peer has acknowledged (consumed). */
    private long acked;
    /** Incoming frames written into the ring. */
    private long received;
    private long consumedCache;
    /** Last acknowledgement written to a link. */
    private long ackSent;
    /** Pending while received frames are not yet acknowledged; idle sessions run no timer. */
    private ScheduledFuture<?> ackTimer;

    Session(long id, NetChannel channel, EventLoop home, NetConfig config, PeerLog log, int peerBatchFrames) {
        this.id = id;
        this.channel = channel;
        this.home = home;
        this.config = config;
        this.log = log;
        this.sendBatch = Math.min(config.maxBatchFrames(), peerBatchFrames);
        channel.bind(this);
    }

    /** Run when the session ends, on {@link #home}: registries drop it. */
    void onClosed(Runnable r) {
        this.onClosed = r;
    }

    /** The current link was lost and the session is not closed: reconnect, or wait for the peer to. */
    abstract void linkLost(String why);

    /** Any thread: have {@link #home} drain the outgoing ring and send acknowledgements. */
    void wake() {
        execute(ioTask);
    }

    /** Runs {@code task} on {@link #home}; dropped when the event loop is shutting down (and so is this). */
    final void execute(Runnable task) {
        if (home.inEventLoop()) {
            task.run();
            return;
        }
        try {
            home.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            // The loop is gone and will run nothing of this session again; nothing else can end it.
            channel.ended("transport closed", channel.unacknowledged());
        }
    }

    /** Schedules {@code task} on {@link #home}; when the loop is shutting down, ends the session instead. */
    final ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return home.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            end("transport closed");
            return null;
        }
    }

    long resumes() {
        return resumes;
    }

    boolean isClosed() {
        return closed;
    }

    // ---- links ----

    /** Makes {@code l} the session's connection; a previous one is closed. On {@link #home}. */
    void attach(Link l) {
        if (closed) {
            l.close();
            return;
        }
        if (link != null) {
            Link old = link;
            link = null;
            old.close(); // its loss is ignored below: it is no longer the current link
        }
        if (attachedOnce) {
            resumes++;
        }
        attachedOnce = true;
        link = l;
        channel.remote(l.channel().remoteAddress());
        sent = acked; // resend everything the peer has not acknowledged
        ackSent = 0; // and re-acknowledge: the last ack may have died with the old connection
        byeOnLink = false; // and say goodbye again after the resent frames, if closing
        linkAttached();
        runIo();
        armAckTimer();
    }

    /** Hook for subclasses when a link is attached (resetting reconnect attempts, cancelling expiry). */
    void linkAttached() {}

    /** On {@link #home}: the connection behind {@code l} is gone. */
    void lost(Link l, String why) {
        if (l != link) {
            return;
        }
        link = null;
        cancelAckTimer();
        sent = acked;
        if (closed) {
            return;
        }
        if (peerBye) {
            // Everything the peer sent came before its BYE and is in the ring; what this end still owes it, the
            // peer will not consume. Nothing is left to resume for.
            end("closed by the peer");
            return;
        }
        linkLost(why);
    }

    // ---- sending ----

    private void runIo() {
        channel.clearKick(); // before reading out.head / in.tail: the Dekker half of NetChannel's wake-up
        Link l = link;
        if (l == null || closed) {
            return;
        }
        boolean wrote = !peerBye && drain(l, false); // after the peer's BYE nobody would consume them
        long consumed = channel.in.tail.getAcquire();
        if (consumed > ackSent) {
            l.write(BatchCodec.ack(l.alloc(), consumed));
            ackSent = consumed;
            wrote = true;
        }
        if (closing && !byeOnLink && sent >= channel.out.head.getVolatile()) {
            // Every published frame is on this link: BYE follows them, so the peer has them all when it reads it.
            l.write(BatchCodec.bye(l.alloc()));
            byeOnLink = true;
            wrote = true;
        }
        if (wrote) {
            l.flush();
        }
        if (peerBye && !closing && consumed >= received) {
            // The owner has polled every frame of the closed peer and the ack for them is written: answer its BYE.
            replyBye(l);
        }
    }

    /**
     * Writes published, unsent frames as DATA records of up to {@code sendBatch} frames while the link takes them
     * (or regardless, when {@code all}). Each record carries the current acknowledgement.
     */
    private boolean drain(Link l, boolean all) {
        long produced = channel.out.head.getVolatile();
        boolean wrote = false;
        while (sent < produced && (all || l.isWritable())) {
            int n = (int) Math.min(produced - sent, sendBatch);
            long ack = channel.in.tail.getAcquire();
            l.write(BatchCodec.data(l.alloc(), ack, channel.out, sent, n));
            ackSent = Math.max(ackSent, ack);
            sent += n;
            sentMax = Math.max(sentMax, sent);
            wrote = true;
        }
        return wrote;
    }

    /** The link's socket can take more (or less): resume draining. */
    void writabilityChanged(Link l) {
        if (l == link && l.isWritable()) {
            runIo();
        }
    }

    /** Nothing was written on {@code l} for a while: tell the peer we are alive. */
    void heartbeat(Link l) {
        if (l == link && !closed) {
            ackSent = Math.max(ackSent, channel.in.tail.getAcquire());
            l.write(BatchCodec.ack(l.alloc(), ackSent));
            l.flush();
        }
    }

    // ---- receiving ----

    /** A data-phase record from {@code l}, positioned at its type byte. Releases it. On {@link #home}. */
    void onRecord(Link l, ByteBuf record) {
        try {
            if (l != link || closed) {
                return; // a replaced link's late records: the peer resends whatever they held
            }
            int type = record.readUnsignedByte();
            switch (type) {
                case Wire.DATA -> {
                    if (applyAck(l, record.readLong()) && !closing) { // a closed owner polls nothing more
                        receive(l, record.readLong(), record);
                    }
                }
                case Wire.ACK -> applyAck(l, record.readLong());
                case Wire.BYE -> peerClosed(l);
                default -> log.refuse(l.channel(), Wire.typeName(type) + " record after the handshake");
            }
        } finally {
            record.release();
        }
    }

    private boolean applyAck(Link l, long ack) {
        if (ack > sentMax || ack < 0) {
            log.refuse(l.channel(), "acknowledgement of sequence " + ack + " which was never sent (highest sent: "
                    + sentMax + ")");
            return false;
        }
        if (ack > acked) {
            acked = ack;
            channel.out.tail.setRelease(ack); // frees the slots for the owner, after our last read of them
            if (sent < acked) {
                sent = acked; // the peer has frames we were about to resend
            }
        }
        return true;
    }

    private void receive(Link l, long firstSeq, ByteBuf body) {
        int frames = body.readableBytes() / Frame.BYTES; // a whole number: RecordDecoder checked
        if (firstSeq < 1 || firstSeq > received + 1) {
            log.refuse(l.channel(), "frames from sequence " + firstSeq + " leave a gap after " + received);
            return;
        }
        long duplicates = received + 1 - firstSeq;
        if (duplicates > 0) {
            // A resend: the peer has seen acknowledgements up to firstSeq - 1 only. Make sure it hears of more,
            // or a peer whose window is full would wait for an ack that was lost with a connection.
            ackSent = Math.min(ackSent, firstSeq - 1);
            armAckTimer();
        }
        if (duplicates >= frames) {
            return;
        }
        body.skipBytes((int) duplicates * Frame.BYTES);
        int fresh = frames - (int) duplicates;
        FrameRing ring = channel.in;
        if (received + fresh - consumedCache > ring.capacity) {
            consumedCache = ring.tail.getAcquire();
            if (received + fresh - consumedCache > ring.capacity) {
                log.refuse(l.channel(), "peer sent " + fresh + " frames beyond its window of " + ring.capacity);
                return;
            }
        }
        for (int i = 0; i < fresh; i++) {
            if (ControlWord.message(BatchCodec.peekControl(body)) == 0) {
                log.refuse(l.channel(), "frame " + (received + 1) + " has message number 0");
                break; // frames before it are good and delivered
            }
            BatchCodec.readFrame(body, ring.words, ring.base(received));
            received++;
        }
        ring.head.setRelease(received); // publishes the slot words written above to the owner's poll
        armAckTimer();
    }

    /**
     * Acknowledgements go out piggy-backed on DATA, when the owner's polls cross a quarter of the ring (it kicks
     * this loop), and otherwise from this timer, at most {@link NetConfig#ackDelay()} after a frame is consumed.
     * The timer runs only while received frames are unacknowledged.
     */
    private void armAckTimer() {
        if (ackTimer == null && link != null && received > ackSent) {
            ackTimer = schedule(ackTask, config.ackDelay().toNanos());
        }
    }

    private void ackTick() {
        ackTimer = null;
        runIo();
        armAckTimer();
    }

    // ---- closing ----

    /**
     * The peer's BYE: it follows the peer's last frame, and the peer will consume nothing more. When this end is
     * closing too (both closed at once, or this end is waiting for the answer to its own BYE) the session is over:
     * whatever the peer has not acknowledged by now stays unconfirmed. Otherwise this end answers with its own BYE
     * once its owner has polled every frame (see {@link #runIo}), so that the peer learns they were all consumed.
     */
    private void peerClosed(Link l) {
        if (peerBye) {
            return; // resent after a reconnect
        }
        peerBye = true;
        log.info(l.channel(), "peer closed the channel");
        channel.peerClosed();
        if (closing) {
            end("closed by this end");
        } else {
            runIo();
            armAckTimer();
        }
    }

    /** This end is done with a closed peer: goodbye, then close the connection once it is written. */
    private void replyBye(Link l) {
        l.writeAndClose(BatchCodec.bye(l.alloc()));
        link = null; // the close that follows is not a loss
        end("closed by the peer");
    }

    /**
     * The owner closed the channel. From any thread. Keeps the session alive, within
     * {@link NetConfig#closeLinger()}, until the peer has acknowledged every published frame and answered this
     * end's BYE (see {@link #runIo} and {@link #peerClosed}).
     */
    void closeLocally() {
        execute(() -> {
            if (closed || closing) {
                return;
            }
            closing = true;
            if (peerBye) {
                // The peer closed first and this owner gives up the frames it has not polled: answer and end.
                Link l = link;
                if (l != null) {
                    replyBye(l);
                } else {
                    end("closed by the peer");
                }
                return;
            }
            lingerTimer = schedule(this::lingerExpired, config.closeLinger().toNanos());
            runIo();
        });
    }

    /** The owner expects unconfirmed frames at the close: {@link #end} reports them without a warning. */
    void expectLoss() {
        lossExpected = true;
    }

    private void lingerExpired() {
        lingerTimer = null;
        end("close linger of " + config.closeLinger().toMillis() + " ms expired"
                + (link == null ? " with no connection to the peer" : ""));
    }

    /**
     * Aborts the session without waiting for anything, for a transport that is shutting down. From any thread.
     */
    void abort(String reason) {
        execute(() -> end(reason));
    }

    /**
     * Ends the session for {@code reason}. On {@link #home}. When this end was closing and frames stay
     * unacknowledged, the reason carries their count and a warning naming the peer is logged: the close lost them.
     */
    void end(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        cancelAckTimer();
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
        long unconfirmed = channel.out.head.getVolatile() - acked;
        String why = reason;
        if (closing && unconfirmed > 0) {
            why = "closed by this end with " + unconfirmed + " frame" + (unconfirmed == 1 ? "" : "s")
                    + " not confirmed delivered: " + reason;
            PeerLog.LOG.log(lossExpected ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, log.side()
                    + ": closing channel with " + channel.remoteAddress() + " (session " + Long.toHexString(id)
                    + "): " + why);
        } else if (closing && !reason.startsWith("closed by this end")) {
            why = "closed by this end (every frame confirmed delivered); " + reason;
        }
        Link l = link;
        link = null;
        if (l != null) {
            l.close();
        }
        sessionEnded();
        onClosed.run();
        channel.ended(why, unconfirmed); // last: whoever waits on the close future sees the registries updated
    }

    /** Hook for subclasses to cancel their timers when the session ends. */
    void sessionEnded() {}

    private void cancelAckTimer() {
        if (ackTimer != null) {
            ackTimer.cancel(false);
            ackTimer = null;
        }
    }
}
