package io.flotilla.transport.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The {@code net} transport: frame channels over TCP between processes or machines, on Netty event loops (native
 * epoll where it loads, NIO otherwise). One instance owns its event loops; open servers with {@link #listen} and
 * clients with {@link #connect}, and {@link #close} it to end them all.
 *
 * <p>The protocol is in {@link Wire}; the threading of a channel in {@link NetChannel}.
 */
public final class NetTransport implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean nativeEpoll;
    private final Class<? extends SocketChannel> socketClass;
    private final Class<? extends ServerChannel> serverClass;
    private final PeerLog clientLog = new PeerLog("net client");
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Set<NetServer> servers = ConcurrentHashMap.newKeySet();

    private NetTransport(int ioThreads, boolean preferNative, boolean daemon) {
        this.nativeEpoll = preferNative && Epoll.isAvailable();
        IoHandlerFactory io = nativeEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("flotilla-net", daemon), io);
        this.socketClass = nativeEpoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.serverClass = nativeEpoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** A transport with {@code ioThreads} event loops, on native epoll if this platform has it. */
    public static NetTransport create(int ioThreads) {
        return create(ioThreads, true);
    }

    /** A transport with {@code ioThreads} event loops; {@code preferNative} false forces NIO. */
    public static NetTransport create(int ioThreads, boolean preferNative) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
        }
        return create(ioThreads, preferNative, false);
    }

    /**
     * As {@link #create(int, boolean)}; with {@code daemon} the event-loop threads do not keep the JVM alive, for a
     * transport that lives as long as the process and is never closed.
     */
    public static NetTransport create(int ioThreads, boolean preferNative, boolean daemon) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
        }
        return new NetTransport(ioThreads, preferNative, daemon);
    }

    /** Whether the event loops run on native epoll (else NIO). */
    public boolean isNative() {
        return nativeEpoll;
    }

    /**
     * Listens on {@code address} (port 0: any free port, see {@link NetServer#localAddress()}). Each new session's
     * channel goes to {@code acceptor}, called on an event loop: it must hand the channel to its owner thread
     * (through anything that publishes safely, a concurrent queue for instance) and return at once.
     */
    public NetServer listen(InetSocketAddress address, NetConfig config, Consumer<NetChannel> acceptor)
            throws IOException {
        Objects.requireNonNull(acceptor, "acceptor");
        NetServer server = new NetServer(this, config, acceptor);
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(serverClass)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(config, server.log(), server, () -> new ServerHandshake(server)))
                .bind(address)
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IOException("cannot listen on " + address + ": " + bind.cause().getMessage(), bind.cause());
        }
        server.bound(bind.channel());
        servers.add(server);
        return server;
    }

    /**
     * Connects to a server and completes the handshake, waiting at most the handshake timeout. Must not be called
     * on one of this transport's event loops.
     *
     * @throws NetHandshakeException if either side refused the handshake
     * @throws IOException if no connection could be made
     */
    public NetChannel connect(InetSocketAddress address, NetConfig config) throws IOException {
        CompletableFuture<NetChannel> f = connectAsync(address, config);
        try {
            return f.get(config.handshakeTimeout().toNanos() * 2, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("connect to " + address + " failed", e.getCause());
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new IOException("connect to " + address + ": no handshake within "
                    + config.handshakeTimeout().toMillis() * 2 + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting to " + address);
        }
    }

    /** {@link #connect} without waiting: the future fails with an {@link IOException} where connect throws one. */
    public CompletableFuture<NetChannel> connectAsync(InetSocketAddress address, NetConfig config) {
        CompletableFuture<NetChannel> result = new CompletableFuture<>();
        EventLoop home = group.next();
        ClientHandshake handshake = new ClientHandshake(config, clientLog, 0, new ClientHandshake.Outcome() {
            @Override
            public void opened(ChannelHandlerContext ctx, Handshake.Challenge c) {
                NetChannel channel = new NetChannel(Math.min(config.ringFrames(), c.ringFrames()),
                        config.ringFrames());
                ClientSession s = new ClientSession(c.sessionId(), channel, home, config, clientLog,
                        c.batchFrames(), NetTransport.this, address);
                s.onClosed(() -> forget(s));
                remember(s);
                Link link = new Link(s, clientLog);
                ctx.pipeline().replace(ctx.handler(), "link", link);
                s.attach(link);
                if (!result.complete(channel)) {
                    channel.close(); // the caller gave up waiting
                }
            }

            @Override
            public void failed(NetHandshakeException why, boolean permanent) {
                result.completeExceptionally(why);
            }
        });
        ChannelFuture f = openConnection(address, home, config, clientLog, handshake);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(new IOException("cannot connect to " + address + ": "
                        + done.cause().getMessage(), done.cause()));
            }
        });
        return result;
    }

    /** Opens a TCP connection from event loop {@code loop} with the common pipeline ending in {@code handshake}. */
    ChannelFuture openConnection(InetSocketAddress address, EventLoop loop, NetConfig config, PeerLog log,
            ChannelHandler handshake) {
        return new Bootstrap()
                .group(loop)
                .channel(socketClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.handshakeTimeout().toMillis()))
                .handler(initializer(config, log, null, () -> handshake))
                .connect(address);
    }

    /**
     * Every connection: an idle watchdog (a silent peer is cut off, and a quiet end sends heartbeats), the record
     * decoder with this end's limits, then the handshake, which replaces itself by a {@link Link}.
     */
    private static ChannelInitializer<SocketChannel> initializer(NetConfig config, PeerLog log, NetServer server,
            java.util.function.Supplier<ChannelHandler> handshake) {
        long idle = config.idleTimeout().toNanos();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (server != null && !server.admit(ch)) {
                    return; // over the connection cap: closed, nothing read from it
                }
                ch.pipeline().addLast("idle", new IdleStateHandler(idle, idle / 3, 0, TimeUnit.NANOSECONDS));
                ch.pipeline().addLast("records", new RecordDecoder(log, config.maxBatchFrames()));
                ch.pipeline().addLast("handshake", handshake.get());
            }
        };
    }

    void remember(Session s) {
        sessions.add(s);
    }

    void forget(Session s) {
        sessions.remove(s);
    }

    /**
     * Closes every server and channel of this transport, then its event loops; waits for them to stop. This is an
     * abort: channels still closing (or open) end at once, with their unconfirmed frames counted in
     * {@link NetChannel#closeFuture()}. For a graceful end, close the channels and wait for their close futures
     * first.
     */
    @Override
    public void close() {
        for (NetServer s : List.copyOf(servers)) {
            s.closeNow();
        }
        for (Session s : List.copyOf(sessions)) {
            s.abort("transport closed"); // the event loops stop now: no close can linger past this
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
