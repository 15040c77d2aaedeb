package io.flotilla.transport.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A listening {@code net} endpoint, from {@link NetTransport#listen}. Each client that completes the handshake
 * opens a session whose {@link NetChannel} goes to the acceptor; a client that reconnects resumes its session and
 * the acceptor is not called again. Closing the server stops accepting new sessions and closes every channel it
 * opened; it keeps listening for resumed connections until those channels' closes have finished.
 */
public final class NetServer implements AutoCloseable {

    private final NetTransport transport;
    private final NetConfig config;
    private final Consumer<NetChannel> acceptor;
    private final PeerLog log = new PeerLog("net server");
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private volatile Channel listener;
    private volatile boolean closing;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile BiConsumer<InetSocketAddress, NetRefusal> refusalListener = (peer, why) -> { };

    NetServer(NetTransport transport, NetConfig config, Consumer<NetChannel> acceptor) {
        this.transport = transport;
        this.config = config;
        this.acceptor = acceptor;
    }

    void bound(Channel listenerChannel) {
        this.listener = listenerChannel;
    }

    NetConfig config() {
        return config;
    }

    PeerLog log() {
        return log;
    }

    /** The address it listens on; with port 0 asked, the port the system chose. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Connections this server closed because of what the peer sent, or failed to. */
    public long refusals() {
        return log.refusals();
    }

    /** The logged reason of the latest refusal, naming the peer; null if none. */
    public String lastRefusal() {
        return log.lastRefusal();
    }

    /**
     * Tells {@code listener} of every handshake this server refused, or a client refused (by answering this
     * server's CHALLENGE with REFUSE), with the peer's address and the reason; called on an event loop, so it must
     * return at once. One listener: a later call replaces it. An owner that must know at once why a peer it waits
     * for cannot join (a node whose peer has another cluster secret) uses this rather than a log.
     */
    public void onRefusal(BiConsumer<InetSocketAddress, NetRefusal> listener) {
        this.refusalListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    void refused(Channel connection, NetRefusal why) {
        if (connection.remoteAddress() instanceof InetSocketAddress peer) {
            try {
                refusalListener.accept(peer, why);
            } catch (RuntimeException e) {
                PeerLog.LOG.log(System.Logger.Level.ERROR, "net server: refusal listener failed", e);
            }
        }
    }

    /** Sessions open now, connected or waiting for their client to resume. */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * Counts a newly accepted connection against {@link NetConfig#maxConnections()}: false (the caller closes it)
     * when the server holds that many already. The count drops when the connection closes.
     */
    boolean admit(Channel connection) {
        if (connections.incrementAndGet() > config.maxConnections()) {
            connections.decrementAndGet();
            log.refuse(connection, "this server holds " + config.maxConnections() + " connections already");
            return false;
        }
        connection.closeFuture().addListener(closed -> connections.decrementAndGet());
        return true;
    }

    /** Connections held now, handshaking or open. */
    public int connectionCount() {
        return connections.get();
    }

    Session openSession(long id, EventLoop home, Handshake.Hello hello) {
        NetChannel channel = new NetChannel(Math.min(config.ringFrames(), hello.ringFrames()), config.ringFrames());
        Session s = new ServerSession(id, channel, home, config, log, hello.batchFrames());
        s.onClosed(() -> {
            sessions.remove(id, s);
            transport.forget(s);
        });
        sessions.put(id, s);
        transport.remember(s);
        if (closing) {
            channel.close(); // raced with close(): its snapshot missed this one
        }
        return s;
    }

    Session session(long id) {
        return sessions.get(id);
    }

    /** On the session's event loop: hands a new channel to the user. */
    void accepted(NetChannel channel) {
        try {
            acceptor.accept(channel);
        } catch (RuntimeException e) {
            PeerLog.LOG.log(System.Logger.Level.ERROR, "net server: acceptor failed; closing " + channel, e);
            channel.close();
        }
    }

    /** Whether {@link #close()} was called: the handshake refuses new sessions ({@link NetRefusal#CLOSING}). */
    boolean isClosing() {
        return closing;
    }

    /**
     * Stops opening sessions and closes every channel this server opened, gracefully (see
     * {@link NetChannel#close()}); the listening socket stays open, for clients that must reconnect to finish their
     * close, until every one of those channels has ended, then closes. Does not block; idempotent.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        List<Session> open = List.copyOf(sessions.values());
        CompletableFuture<?>[] ends = new CompletableFuture<?>[open.size()];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = open.get(i).channel.closeFuture();
            open.get(i).channel.close();
        }
        CompletableFuture.allOf(ends).whenComplete((done, failure) -> closeListener());
    }

    /** The transport is shutting down: stop listening now; its sessions are aborted by the transport. */
    void closeNow() {
        closing = true;
        Channel l = listener;
        if (l != null) {
            l.close().syncUninterruptibly();
        }
    }

    private void closeListener() {
        Channel l = listener;
        if (l != null) {
            l.close();
        }
    }
}
