package io.flotilla.transport.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A listening {@code net} endpoint, from {@link NetTransport#listen}. Each client that completes the handshake
 * opens a session whose {@link NetChannel} goes to the acceptor; a client that reconnects resumes its session and
 * the acceptor is not called again. Closing the server stops accepting and closes every channel it opened.
 */
public final class NetServer implements AutoCloseable {

    private final NetTransport transport;
    private final NetConfig config;
    private final Consumer<NetChannel> acceptor;
    private final PeerLog log = new PeerLog("net server");
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    private volatile Channel listener;

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

    /** Sessions open now, connected or waiting for their client to resume. */
    public int sessionCount() {
        return sessions.size();
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

    @Override
    public void close() {
        Channel l = listener;
        if (l != null) {
            l.close().syncUninterruptibly();
        }
        for (Session s : List.copyOf(sessions.values())) {
            s.channel.close();
        }
    }
}
