package io.flotilla.kernel.node;

import io.flotilla.channel.Channel;
import io.flotilla.kernel.Internode.BindListener;
import io.flotilla.kernel.Internode.UrpcOffer;
import io.flotilla.kernel.Multikernel;
import io.flotilla.platform.pinned.MeteredChannel;
import io.flotilla.transport.net.NetConfig;
import io.flotilla.transport.net.NetLoopbackTransport;
import io.flotilla.transport.net.NetServer;
import io.flotilla.transport.net.NetTransport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The channels that binds and swaps between nodes get, apart from the links that carry monitor messages: one-bind
 * {@code net} listeners (the cluster secret and a random token in the handshake), and urpc channel files in this
 * host's {@link ChannelDirectory} for nodes of one host, whose names a peer sends and which are checked before
 * anything is mapped. Every end is metered into the multikernel's metrics once it has booted.
 */
final class BindChannels implements AutoCloseable {

    /** The interface name of one-bind listeners; the fingerprint is the listener's random token. */
    static final String BIND_INTERFACE = "flotilla.bind";
    /** The creator writes the file before it names it, so it is there at once; the wait only covers a slow disk. */
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(2);

    private final int node;
    private final NetTransport net;
    private final byte[] secret;
    private final String host;
    private final Supplier<Multikernel> kernel;
    private final Consumer<String> refused;
    private final SecureRandom tokens = new SecureRandom();
    private final ChannelDirectory channels = ChannelDirectory.local();
    /** Attaches to urpc files off the cores' threads: mapping a file is a system call, and may wait for it. */
    private final ExecutorService rendezvous;

    /**
     * @param refused told the one line of each urpc rendezvous refused because of what a peer named
     */
    BindChannels(int node, NetTransport net, byte[] secret, String host, Supplier<Multikernel> kernel,
            Consumer<String> refused) {
        this.node = node;
        this.net = net;
        this.secret = secret;
        this.host = host;
        this.kernel = kernel;
        this.refused = refused;
        this.rendezvous = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "flotilla-node-" + node + "-rendezvous");
            t.setDaemon(true);
            return t;
        });
    }

    /** urpc channel files this node made for binds and swaps with other nodes of its host, since start. */
    long urpcChannelsMade() {
        return channels.created.get();
    }

    /** urpc channel files of other nodes this node attached to (and deleted), since start. */
    long urpcChannelsAttached() {
        return channels.attached.get();
    }

    /** The directory of this node's urpc channel files to other nodes of its host. */
    java.nio.file.Path channelDirectory() {
        return channels.path();
    }

    UrpcOffer offerUrpc(int core, int slots) throws IOException {
        ChannelDirectory.Made made = channels.create(slots);
        Channel end = metered(core, made.end());
        return new UrpcOffer() {
                    public String file() {
                return made.name();
            }

                    public Channel channel() {
                return end;
            }

                    public boolean release() {
                return channels.release(made.name());
            }
        };
    }

    String checkUrpcFile(int core, String file) {
        try {
            channels.check(file);
            return null;
        } catch (IllegalArgumentException e) {
            // A peer that names anything but a channel file of this host's directory: refused, and the run goes on.
            String line = "node " + node + ": refusing the urpc rendezvous for core " + core + ": "
                    + Text.line(e.getMessage(), 300);
            Node.LOG.log(Level.WARNING, line);
            refused.accept(line);
            return e.getMessage();
        }
    }

    CompletableFuture<Channel> attachUrpc(int core, String file) {
        String refused = checkUrpcFile(core, file);
        if (refused != null) {
            return CompletableFuture.failedFuture(new IOException(refused));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return metered(core, channels.attach(file, ATTACH_TIMEOUT));
            } catch (IOException | IllegalArgumentException e) {
                throw new java.util.concurrent.CompletionException(new IOException(e.getMessage(), e));
            }
        }, rendezvous);
    }

    BindListener listen(int core, Consumer<Channel> accepted) throws IOException {
        long token = tokens.nextLong();
        NetConfig cfg = NetConfig.builder(secret, BIND_INTERFACE, token).build();
        AtomicBoolean taken = new AtomicBoolean();
        NetServer[] holder = new NetServer[1];
        CountDownLatch bound = new CountDownLatch(1);
        NetServer s = net.listen(new InetSocketAddress(host, 0), cfg, channel -> {
            if (!taken.compareAndSet(false, true)) {
                channel.close(); // one bind, one client
                return;
            }
            try {
                bound.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            accepted.accept(metered(core, new NetLoopbackTransport.ListenerOwningEnd(channel, holder[0])));
        });
        holder[0] = s;
        bound.countDown();
        int port = s.localAddress().getPort();
        return new BindListener() {
                    public String host() {
                return host;
            }

                    public int port() {
                return port;
            }

                    public long token() {
                return token;
            }

                    public void close() {
                if (taken.compareAndSet(false, true)) {
                    s.close();
                }
            }
        };
    }

    CompletableFuture<Channel> connect(int core, String toHost, int port, long token) {
        NetConfig cfg = NetConfig.builder(secret, BIND_INTERFACE, token).build();
        return net.connectAsync(new InetSocketAddress(toHost, port), cfg).thenApply(c -> metered(core, c));
    }

    /** The end counts its frames and messages into the multikernel's metrics, as the pinned platform's ends do. */
    private Channel metered(int core, Channel end) {
        Multikernel k = kernel.get();
        return k == null ? end : MeteredChannel.counting(end, core, k.observer(), k.platform()::now);
    }

    @Override
    public void close() {
        rendezvous.shutdownNow();
        channels.releaseAll();
    }
}
