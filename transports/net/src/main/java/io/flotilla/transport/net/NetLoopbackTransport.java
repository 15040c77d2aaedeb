package io.flotilla.transport.net;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.Transport;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code net} as a {@link Transport}: {@link #open} joins two endpoints of this process through a real TCP
 * connection on the loopback interface, with the full protocol (handshake, batching, acknowledgements). That is
 * what a selector's choice of {@code net} or a live swap onto the network needs inside one process, and it runs
 * exactly the code two machines would.
 *
 * <p>Between processes or machines, use {@link NetTransport#listen} on one side and {@link NetTransport#connect}
 * on the other, with a shared cluster secret; each side then holds one end.
 *
 * <p>Each channel gets its own listener and a fresh random secret; the listener closes with the channel's
 * accepting end. The event loops are daemon threads shared by every channel of every instance in this process.
 *
 * <p><b>The first channel is dear.</b> {@link #open} blocks its caller for a TCP connection and a handshake: 5-20 ms
 * once warm, but the first one in a process also starts the event loop, loads Netty's and the JDK's TLS-free crypto
 * classes (SecureRandom seeding, HMAC) and runs them cold: 0.3-0.7 s measured on a quiet 2-core machine, up to 2 s
 * under load. A caller on a core's thread (a monitor swapping a binding to net) stalls that core meanwhile.
 * {@link #prepare()} pays that cost ahead, off every core.
 */
public final class NetLoopbackTransport implements Transport {

    public static final String NAME = "net";

    private static final String CHANNEL_INTERFACE = "flotilla.channel";
    private static final long OPEN_TIMEOUT_SECONDS = 10;

    private final SecureRandom random = new SecureRandom();
    /** One transport for the process: its event loop, and what the first channel warmed, serve every instance. */
    private static volatile NetTransport shared;
    private static CompletableFuture<Void> prepared; // guarded by NetLoopbackTransport.class

    /**
     * {@value #DEFAULT_SLOTS} frames: an acknowledgement takes a network round trip; with 32 slots a key-value
     * program streamed 2.6x slower.
     */
    static final int DEFAULT_SLOTS = 1024;

    @Override
    public int defaultSlots() {
        return DEFAULT_SLOTS;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Any two endpoints of this process; two processes need {@link NetTransport} directly. */
    @Override
    public boolean canConnect(Endpoint a, Endpoint b) {
        return a.sameProcess(b);
    }

    @Override
    public ChannelPair open(Endpoint a, Endpoint b, ChannelOptions options) {
        if (!canConnect(a, b)) {
            throw new IllegalArgumentException("net.open joins two ends of one process, not " + a + " and " + b
                    + "; across processes use NetTransport.listen and NetTransport.connect");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        NetConfig config = NetConfig.builder(secret, CHANNEL_INTERFACE, 0L).ringFrames(options.slots()).build();
        var accepted = new CompletableFuture<NetChannel>();
        NetTransport transport = transport();
        try {
            NetServer server = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config,
                    accepted::complete);
            try {
                NetChannel client = transport.connect(server.localAddress(), config);
                NetChannel serverEnd = accepted.get(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return new ChannelPair(client, new ListenerOwningEnd(serverEnd, server));
            } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a net channel on loopback: " + e.getMessage(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("net channel on loopback was not accepted: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening a net channel", e);
        }
    }

    private static NetTransport transport() {
        NetTransport t = shared;
        if (t == null) {
            synchronized (NetLoopbackTransport.class) {
                t = shared;
                if (t == null) {
                    t = NetTransport.create(1, true, true);
                    shared = t;
                }
            }
        }
        return t;
    }

    /**
     * Opens and closes one loopback channel on a daemon thread, so that the first channel a program needs (a swap to
     * net on a core's thread) finds the event loop running and the classes loaded and compiled. Call it when a run
     * is known to need net (a planned swap to it), before the cores start; the run does not wait for it. Idempotent:
     * later calls return the same future, which fails only if this process cannot open a loopback channel at all
     * (then the real open will say why).
     */
    public static CompletableFuture<Void> prepare() {
        synchronized (NetLoopbackTransport.class) {
            if (prepared == null) {
                prepared = new CompletableFuture<>();
                Thread t = new Thread(NetLoopbackTransport::warm, "flotilla-net-prepare");
                t.setDaemon(true);
                t.start();
            }
            return prepared;
        }
    }

    private static void warm() {
        try {
            Endpoint self = new Endpoint("prepare", ProcessHandle.current().pid(), 0);
            ChannelPair pair = new NetLoopbackTransport().open(self, self, new ChannelOptions(2, java.util.Map.of()));
            pair.left().close();
            pair.right().close();
            prepared.complete(null);
        } catch (RuntimeException e) {
            prepared.completeExceptionally(e);
        }
    }

    /**
     * The accepting end of a listener opened for one channel: closing it also stops its listener, so swapped-out
     * channels (and the one-bind listeners of the node runtime) leave no open port.
     */
    public static final class ListenerOwningEnd implements Channel {
        private final NetChannel channel;
        private final NetServer server;

        /** {@code channel}, accepted by {@code server}, which closes with it. */
        public ListenerOwningEnd(NetChannel channel, NetServer server) {
            this.channel = channel;
            this.server = server;
        }

        @Override
        public int writableFrames() {
            return channel.writableFrames();
        }

        @Override
        public FrameWriter claim() {
            return channel.claim();
        }

        @Override
        public FrameWriter tryClaim() {
            return channel.tryClaim();
        }

        @Override
        public int poll(FrameHandler handler, int limit) {
            return channel.poll(handler, limit);
        }

        @Override
        public int capacity() {
            return channel.capacity();
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        /** Closes the channel; the listener closes once the channel's close has finished (it may need a resume). */
        @Override
        public void close() {
            channel.close();
            server.close();
        }
    }
}
