package io.flotilla.kernel.node;

import io.flotilla.channel.Channel;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.kernel.Intermon;
import io.flotilla.kernel.Monitor;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.intermon.IntermonCodec;
import io.flotilla.kernel.intermon.IntermonException;
import io.flotilla.kernel.intermon.IntermonMessage;
import io.flotilla.platform.pinned.MeteredChannel;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.transport.net.NetChannel;
import io.flotilla.transport.net.NetConfig;
import io.flotilla.transport.net.NetHandshakeException;
import io.flotilla.transport.net.NetLoopbackTransport;
import io.flotilla.transport.net.NetRefusal;
import io.flotilla.transport.net.NetServer;
import io.flotilla.transport.net.NetTransport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One JVM's share of a multikernel that spans several: it runs cores {@code firstCore..lastCore} of the machine on
 * the pinned platform and reaches the other nodes' monitors over {@code net} connections (it is their
 * {@link Intermon}). Binds between nodes get net channels of their own, or urpc channels in shared-memory files
 * between nodes of one host (same {@link HostIdentity}); the file names travel as intermon messages and are checked
 * against this node's {@link ChannelDirectory} before anything is mapped.
 *
 * <p><b>Joining.</b> {@link #start} listens on this node's address, dials every node with a lower id (so each pair
 * of nodes has exactly one link), and proves the cluster secret in the net handshake of each. Each side's first
 * intermon message is a HELLO (id, node count, core range, machine, host); a node checks it against its own
 * configuration and every HELLO so far (same machine and node count, no overlapping cores, the id the address
 * was dialled for). Once it has every node's HELLO and the ranges cover cores {@code 0..n-1} exactly, it sends each
 * peer the digest of the whole table (VIEW); the membership is agreed when every peer's digest equals its own.
 * Configuration mistakes fail {@code start} on the spot with a message naming the node; silence fails it after the
 * join timeout.
 *
 * <p><b>Running.</b> {@link #boot} boots the multikernel with every core of the membership, of which this JVM runs
 * its own; monitors send {@link IntermonMessage}s for cores elsewhere through {@link #send}. One pump thread owns all
 * links: it writes queued messages, reads and checks incoming ones (a malformed or unauthorised message closes that
 * link with a logged reason naming the peer; the node carries on) and posts monitor messages to their core.
 * A dispatcher's {@code stopKernel()} stops every node (STOP); a node whose run ends says LEAVE; monitors waiting on
 * a node that left or whose link broke get their errors at once.
 */
public final class Node implements Intermon, AutoCloseable {

    static final System.Logger LOG = System.getLogger("io.flotilla.kernel.node");

    /** The interface name every intermon link's handshake names; the fingerprint carries the protocol version. */
    static final String INTERFACE = "flotilla.intermon";
    static final long FINGERPRINT = 0x464C_4F54_494D_0000L | IntermonCodec.VERSION;
    /** The interface name of one-bind listeners; the fingerprint is the listener's random token. */
    static final String BIND_INTERFACE = "flotilla.bind";

    private static final int SPINS = 100;
    private static final long PARK_NANOS = 200_000;

    /** What a node said about itself in its HELLO. */
    record Member(int node, int firstCore, int lastCore, long pid, String host, String hostId) {
        boolean runs(int core) {
            return core >= firstCore && core <= lastCore;
        }
    }

    private final NodeConfig config;
    private final byte[] secret;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final NetTransport net;
    private final NetServer server;
    private final SecureRandom tokens = new SecureRandom();
    private final ChannelDirectory channels = ChannelDirectory.local();
    /** Attaches to urpc files off the cores' threads: mapping a file is a system call, and may wait for it. */
    private final java.util.concurrent.ExecutorService rendezvous;
    /** The creator writes the file before it names it, so it is there at once; the wait only covers a slow disk. */
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(2);

    // Membership: written by the pump thread while joining, read by anyone after joined counts down (which orders).
    private final Member[] members;
    private final AtomicReferenceArray<PeerLink> links;
    private final boolean[] gone;
    private int coreCount;
    private long digest;
    private final CountDownLatch joined = new CountDownLatch(1);
    private final CountDownLatch ready;
    private final boolean[] readyNodes; // pump thread
    private volatile boolean agreed;
    private volatile String fatal;

    private final ConcurrentLinkedQueue<PeerLink> arriving = new ConcurrentLinkedQueue<>();
    private final List<PeerLink> live = new ArrayList<>(); // pump thread only
    private final List<IntermonCodec.Envelope> early = new ArrayList<>(); // pump thread only: before boot
    private final Thread pump;
    private volatile boolean running = true;
    private volatile Multikernel kernel;
    private volatile boolean stopRequested;
    private final AtomicLong refusals = new AtomicLong();
    private volatile String lastRefusal;

    // The frame handler of the pump's polls: one object, told which link it reads, so a poll allocates nothing.
    private PeerLink reading;
    private final FrameHandler reader = this::onFrame;

    private Node(NodeConfig config) throws IOException {
        this.config = config;
        this.secret = config.secret();
        this.host = config.self().getHostString();
        this.members = new Member[config.nodes()];
        this.links = new AtomicReferenceArray<>(config.nodes());
        this.gone = new boolean[config.nodes()];
        this.readyNodes = new boolean[config.nodes()];
        this.ready = new CountDownLatch(config.nodes() - 1);
        members[config.id()] = new Member(config.id(), config.firstCore(), config.lastCore(), pid, host,
                config.hostId());
        this.net = NetTransport.create(2, true, true);
        InetSocketAddress listen = new InetSocketAddress(host, config.listenPort());
        try {
            this.server = net.listen(listen, intermonConfig(), channel -> {
                arriving.add(new PeerLink(channel, -1));
                wake();
            });
        } catch (IOException e) {
            net.close();
            throw new IOException("node " + config.id() + " cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        this.pump = new Thread(this::pump, "flotilla-node-" + config.id());
        pump.setDaemon(true);
        this.rendezvous = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "flotilla-node-" + config.id() + "-rendezvous");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts this node and waits until every node has joined and the membership is agreed.
     *
     * @throws NodeException if the membership cannot be agreed (a configuration mismatch, a refused handshake,
     *                       nodes missing after the join timeout); the message names the node at fault
     */
    public static Node start(NodeConfig config) {
        Node node;
        try {
            node = new Node(config);
        } catch (IOException e) {
            throw new NodeException(e.getMessage());
        }
        try {
            node.join();
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void join() {
        pump.start();
        long deadline = System.nanoTime() + config.joinTimeout().toNanos();
        for (int peer = 0; peer < config.id(); peer++) {
            dial(peer, deadline);
        }
        if (config.nodes() == 1) {
            sealAlone();
        }
        try {
            if (!joined.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                StringBuilder missing = new StringBuilder();
                for (int n = 0; n < members.length; n++) {
                    PeerLink l = links.get(n);
                    if (n != config.id() && (l == null || !l.viewed)) {
                        missing.append(missing.length() == 0 ? "" : ", ").append(n).append(" (")
                                .append(address(n)).append(')');
                    }
                }
                String last = lastRefusal != null ? lastRefusal
                        : server.lastRefusal() != null ? server.lastRefusal() : null;
                throw new NodeException("node " + config.id() + ": the membership was not agreed within "
                        + config.joinTimeout().toSeconds() + " s; no agreement yet with node(s) " + missing
                        + (last != null ? "; last refusal: " + last : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("node " + config.id() + ": interrupted while joining");
        }
        if (fatal != null) {
            throw new NodeException(fatal);
        }
    }

    /** Dials node {@code peer}, retrying while nobody listens there yet; a refused handshake is final. */
    private void dial(int peer, long deadline) {
        InetSocketAddress at = config.peers().get(peer);
        String where = address(peer);
        String last = "no attempt";
        while (System.nanoTime() < deadline && fatal == null) {
            try {
                NetChannel channel = net.connect(new InetSocketAddress(at.getHostString(), at.getPort()),
                        intermonConfig());
                PeerLink link = new PeerLink(channel, peer);
                link.enqueue(IntermonCodec.encode(-1, hello()));
                arriving.add(link);
                wake();
                return;
            } catch (NetHandshakeException e) {
                String hint = e.refusal() == NetRefusal.AUTHENTICATION
                        ? "; every node must use the same cluster secret (--secret-file)" : "";
                throw new NodeException("node " + config.id() + ": the handshake with node " + peer + " at " + where
                        + " failed: " + e.getMessage() + hint);
            } catch (IOException e) {
                last = e.getMessage();
                LockSupport.parkNanos(100_000_000L);
            }
        }
        if (fatal != null) {
            throw new NodeException(fatal);
        }
        throw new NodeException("node " + config.id() + ": cannot reach node " + peer + " at " + where + " within "
                + config.joinTimeout().toSeconds() + " s: " + last);
    }

    private NetConfig intermonConfig() {
        return NetConfig.builder(secret, INTERFACE, FINGERPRINT).build();
    }

    private IntermonMessage.Hello hello() {
        return new IntermonMessage.Hello(config.id(), config.nodes(), config.firstCore(), config.lastCore(), pid,
                config.machine().name(), host, config.hostId());
    }

    // ---- after joining -------------------------------------------------------------------------------------------

    /** Cores of the whole multikernel: every node's together. */
    public int coreCount() {
        return coreCount;
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * Boots this node's share of the multikernel on a pinned platform: every core of the membership is booted and
     * this JVM runs its own (oversubscribed where the host has fewer CPUs). {@code setup} places dispatchers
     * (only on this node's cores) and sets anything else on the builder.
     */
    public Multikernel boot(Consumer<Multikernel.Builder> setup) {
        if (kernel != null) {
            throw new IllegalStateException("node " + config.id() + " has booted already");
        }
        PinnedPlatform platform = new PinnedPlatform(TransportRegistry.discover(), true, true, System.nanoTime());
        return boot(platform, setup);
    }

    /** As {@link #boot(Consumer)}, on the given (pinned, fresh) platform. */
    public Multikernel boot(PinnedPlatform platform, Consumer<Multikernel.Builder> setup) {
        Multikernel.Builder b = Multikernel.builder(config.machine(), platform).cores(coreCount).intermon(this);
        setup.accept(b);
        Multikernel mk = b.boot();
        kernel = mk;
        if (stopRequested) {
            platform.stop();
        }
        for (int n = 0; n < members.length; n++) {
            PeerLink l = links.get(n);
            if (l != null && !l.closed) {
                sendNode(l, new IntermonMessage.Ready());
            }
        }
        wake(); // the pump delivers what arrived before the boot, and says READY
        return mk;
    }

    /**
     * Waits until every node has booted (so that no node's time-outs run while another is still starting), then
     * runs the booted multikernel until a dispatcher of any node stops it, every other node has left, or
     * {@code limit} passes; then leaves the cluster.
     *
     * @throws NodeException if some node has not booted within the join timeout
     */
    public void run(Duration limit) {
        Multikernel mk = kernel;
        if (mk == null) {
            throw new IllegalStateException("boot the node before running it");
        }
        try {
            if (!ready.await(config.joinTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                leave("a node never booted");
                throw new NodeException("node " + config.id() + ": not every node booted within "
                        + config.joinTimeout().toSeconds() + " s of this one");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("node " + config.id() + ": interrupted while waiting for the others to boot");
        }
        mk.run(limit);
        leave("its run ended");
    }

    /** Links closed because of what a peer sent, since start. */
    public long refusals() {
        return refusals.get() + server.refusals();
    }

    /** The latest such reason (it names the peer), or null. */
    public String lastRefusal() {
        String mine = lastRefusal;
        return mine != null ? mine : server.lastRefusal();
    }

    /** The address this node listens on (its port, when it was asked for port 0). */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    // ---- Intermon ------------------------------------------------------------------------------------------------

    @Override
    public boolean isLocal(int core) {
        return core >= config.firstCore() && core <= config.lastCore();
    }

    @Override
    public void send(int toCore, IntermonMessage message) {
        Member m = owner(toCore);
        PeerLink l = m == null ? null : links.get(m.node());
        if (l == null || l.closed) {
            LOG.log(Level.DEBUG, () -> "node " + config.id() + ": dropping " + message + " for core " + toCore
                    + ": no link to its node");
            return;
        }
        l.enqueue(IntermonCodec.encode(toCore, message));
        wake();
    }

    private void sendNode(PeerLink l, IntermonMessage message) {
        l.enqueue(IntermonCodec.encode(-1, message));
    }

    @Override
    public Endpoint endpoint(int core) {
        Member m = owner(core);
        if (m == null) {
            throw new IllegalArgumentException("no node runs core " + core);
        }
        // Nodes of one host (same identity) are one machine to the selector, so the locality rule picks urpc
        // between them; otherwise, or when urpc between nodes is turned off, each node is a machine of its own.
        if (config.sameHostUrpc() && sameHost(m)) {
            return new Endpoint("host " + m.hostId(), m.pid(), core);
        }
        return new Endpoint("node" + m.node() + "@" + m.host(), m.pid(), core);
    }

    @Override
    public boolean sameHost(int core) {
        Member m = owner(core);
        return m != null && sameHost(m);
    }

    private boolean sameHost(Member m) {
        return !config.hostId().isEmpty() && config.hostId().equals(m.hostId());
    }

    /** urpc channel files this node made for binds and swaps with other nodes of its host, since start. */
    public long urpcChannelsMade() {
        return channels.created.get();
    }

    /** urpc channel files of other nodes this node attached to (and deleted), since start. */
    public long urpcChannelsAttached() {
        return channels.attached.get();
    }

    /** The directory of this node's urpc channel files to other nodes of its host. */
    public java.nio.file.Path channelDirectory() {
        return channels.path();
    }

    @Override
    public UrpcOffer offerUrpc(int core, int slots) throws IOException {
        ChannelDirectory.Made made = channels.create(slots);
        Channel end = metered(core, made.end());
        return new UrpcOffer() {
            @Override
            public String file() {
                return made.name();
            }

            @Override
            public Channel channel() {
                return end;
            }

            @Override
            public boolean release() {
                return channels.release(made.name());
            }
        };
    }

    @Override
    public String checkUrpcFile(int core, String file) {
        try {
            channels.check(file);
            return null;
        } catch (IllegalArgumentException e) {
            // A peer that names anything but a channel file of this host's directory: refused, and the run goes on.
            String line = "node " + config.id() + ": refusing the urpc rendezvous for core " + core + ": "
                    + e.getMessage();
            refusals.incrementAndGet();
            lastRefusal = line;
            LOG.log(Level.WARNING, line);
            return e.getMessage();
        }
    }

    @Override
    public CompletableFuture<Channel> attachUrpc(int core, String file) {
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

    @Override
    public String describe(int core) {
        Member m = owner(core);
        return m == null ? "core " + core + " (no node runs it)"
                : "core " + core + " (node " + m.node() + " at " + address(m.node()) + ")";
    }

    /** Node {@code n}'s address as --peers gave it. */
    private String address(int n) {
        InetSocketAddress a = config.peers().get(n);
        return a.getHostString() + ":" + a.getPort();
    }

    private Member owner(int core) {
        for (Member m : members) {
            if (m != null && m.runs(core)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public BindListener listen(int core, Consumer<Channel> accepted) throws IOException {
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
            @Override
            public String host() {
                return host;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public long token() {
                return token;
            }

            @Override
            public void close() {
                if (taken.compareAndSet(false, true)) {
                    s.close();
                }
            }
        };
    }

    @Override
    public CompletableFuture<Channel> connect(int core, String toHost, int port, long token) {
        NetConfig cfg = NetConfig.builder(secret, BIND_INTERFACE, token).build();
        return net.connectAsync(new InetSocketAddress(toHost, port), cfg).thenApply(c -> metered(core, c));
    }

    /** The end counts its frames and messages into the multikernel's metrics, as the pinned platform's ends do. */
    private Channel metered(int core, Channel end) {
        Multikernel k = kernel;
        return k == null ? end : MeteredChannel.counting(end, core, k.observer(), k.platform()::now);
    }

    @Override
    public void stopAll() {
        for (int n = 0; n < members.length; n++) {
            PeerLink l = links.get(n);
            if (l != null && !l.closed) {
                sendNode(l, new IntermonMessage.Stop());
            }
        }
        wake();
    }

    // ---- the pump ------------------------------------------------------------------------------------------------

    private void wake() {
        LockSupport.unpark(pump);
    }

    private void pump() {
        int idle = 0;
        while (running) {
            int work = 0;
            for (PeerLink l; (l = arriving.poll()) != null; ) {
                live.add(l);
            }
            if (kernel != null && !early.isEmpty()) {
                for (IntermonCodec.Envelope e : early) {
                    deliver(e);
                }
                early.clear();
            }
            for (int i = 0; i < live.size(); i++) {
                PeerLink l = live.get(i);
                work += l.flush();
                reading = l;
                try {
                    work += l.channel.poll(reader, 64);
                } catch (IntermonException e) {
                    refuse(l, e.getMessage());
                }
                if (!l.channel.isOpen() && !l.closed) {
                    lost(l, l.channel.closeReason());
                }
                if (l.closed) {
                    live.remove(i--);
                }
            }
            if (work > 0) {
                idle = 0;
            } else if (++idle < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
    }

    private void onFrame(FrameReader frame) {
        PeerLink l = reading;
        if (l.closed) {
            return;
        }
        IntermonCodec.Envelope e = l.assembler.accept(frame);
        if (e != null) {
            handle(l, e);
        }
    }

    private void handle(PeerLink l, IntermonCodec.Envelope e) {
        IntermonMessage m = e.message();
        if (m.forMonitor() != (e.target() >= 0)) {
            throw new IntermonException(m.getClass().getSimpleName() + " addressed to target " + e.target());
        }
        if (m instanceof IntermonMessage.Leave leave) {
            int n = l.node >= 0 ? l.node : l.expected;
            LOG.log(Level.INFO, "node " + config.id() + ": " + l.peer() + " left: " + leave.reason());
            l.closed = true;
            l.channel.close();
            if (n >= 0) {
                gone(n, l.peer() + " left (" + leave.reason() + ")");
            }
            return;
        }
        if (l.node < 0 && !(m instanceof IntermonMessage.Hello)) {
            throw new IntermonException(m.getClass().getSimpleName() + " before HELLO");
        }
        if (m instanceof IntermonMessage.Hello h) {
            hello(l, h);
        } else if (m instanceof IntermonMessage.View v) {
            view(l, v);
        } else if (m instanceof IntermonMessage.Ready) {
            if (!agreed || readyNodes[l.node]) {
                throw new IntermonException(readyNodes[l.node] ? "a second READY" : "READY before the membership");
            }
            readyNodes[l.node] = true;
            ready.countDown();
        } else if (m instanceof IntermonMessage.Stop) {
            stopRequested = true;
            Multikernel k = kernel;
            if (k != null) {
                k.platform().stop(); // not k.stop(): that would tell every node again
            }
        } else {
            if (!agreed) {
                throw new IntermonException(m.getClass().getSimpleName() + " before the membership was agreed");
            }
            checkFrom(members[l.node], e.target(), m);
            if (kernel == null) {
                early.add(e);
            } else {
                deliver(e);
            }
        }
    }

    /** A peer may only speak for its own cores, and only to cores this node runs. */
    private void checkFrom(Member from, int target, IntermonMessage m) {
        if (!isLocal(target)) {
            throw new IntermonException("message for core " + target + ", which node " + config.id()
                    + " does not run");
        }
        int claimed = m instanceof IntermonMessage.Register r ? Monitor.coreOf(r.iref())
                : m instanceof IntermonMessage.Deregister d ? Monitor.coreOf(d.iref())
                : m instanceof IntermonMessage.Resolve r ? r.askingCore()
                : m instanceof IntermonMessage.BindRequest b ? b.clientCore()
                : m instanceof IntermonMessage.SwapRequest r ? r.clientCore()
                : m instanceof IntermonMessage.SwapNet n ? n.serverCore()
                : m instanceof IntermonMessage.SwapUrpc u ? u.serverCore()
                : m instanceof IntermonMessage.SwapDone d ? d.fromCore()
                : from.firstCore();
        if (!from.runs(claimed)) {
            throw new IntermonException(m.getClass().getSimpleName() + " on behalf of core " + claimed
                    + ", which node " + from.node() + " does not run");
        }
        if (m instanceof IntermonMessage.BindRequest b && Monitor.coreOf(b.iref()) != target) {
            throw new IntermonException("bind request for iref " + b.iref() + " sent to core " + target);
        }
    }

    private void deliver(IntermonCodec.Envelope e) {
        Multikernel k = kernel;
        int core = e.target();
        k.platform().post(core, core, null, () -> k.monitor(core).receive(e.message()));
    }

    private void hello(PeerLink l, IntermonMessage.Hello h) {
        if (l.node >= 0) {
            throw new IntermonException("a second HELLO");
        }
        if (agreed) {
            throw new IntermonException("HELLO from node " + h.node() + " after the membership was agreed");
        }
        String who = "node " + h.node() + " (" + l.channel.remoteAddress() + ")";
        if (l.expected >= 0 && h.node() != l.expected) {
            failOn(l, "node " + config.id() + ": the node at " + address(l.expected) + " says it is node "
                    + h.node() + ", but --peers lists it as node " + l.expected);
            return;
        }
        if (l.expected < 0 && (h.node() <= config.id() || h.node() >= config.nodes())) {
            throw new IntermonException("HELLO from node " + h.node() + ", but only nodes " + (config.id() + 1) + ".."
                    + (config.nodes() - 1) + " dial node " + config.id());
        }
        if (l.expected < 0 && links.get(h.node()) != null) {
            throw new IntermonException("HELLO from node " + h.node() + ", which is connected already");
        }
        if (h.nodes() != config.nodes()) {
            failOn(l, who + " expects " + h.nodes() + " nodes, node " + config.id() + " expects " + config.nodes()
                    + " (every node must be given the same --peers)");
            return;
        }
        if (!h.topology().equals(config.machine().name())) {
            failOn(l, who + " runs machine '" + h.topology() + "', node " + config.id() + " runs '"
                    + config.machine().name() + "'");
            return;
        }
        if (h.lastCore() >= config.machine().coreCount()) {
            failOn(l, who + " runs cores " + h.firstCore() + "-" + h.lastCore() + ", but " + config.machine().name()
                    + " has cores 0.." + (config.machine().coreCount() - 1));
            return;
        }
        for (Member m : members) {
            if (m != null && h.firstCore() <= m.lastCore() && m.firstCore() <= h.lastCore()) {
                failOn(l, who + " runs cores " + h.firstCore() + "-" + h.lastCore() + ", which overlap node " + m.node()
                        + "'s " + m.firstCore() + "-" + m.lastCore());
                return;
            }
        }
        members[h.node()] = new Member(h.node(), h.firstCore(), h.lastCore(), h.pid(), h.host(), h.hostId());
        l.node = h.node();
        links.set(h.node(), l);
        if (l.expected < 0) {
            sendNode(l, hello());
        }
        LOG.log(Level.DEBUG, () -> "node " + config.id() + ": " + who + " runs cores " + h.firstCore() + "-"
                + h.lastCore());
        for (Member m : members) {
            if (m == null) {
                return;
            }
        }
        seal();
    }

    /** Every HELLO is in: check the ranges cover 0..n-1 and send each peer the digest of the table. */
    private void seal() {
        int next = 0;
        while (true) {
            Member m = owner(next);
            if (m == null) {
                break;
            }
            next = m.lastCore() + 1;
        }
        int covered = 0;
        for (Member m : members) {
            covered += m.lastCore() - m.firstCore() + 1;
        }
        if (covered != next) {
            StringBuilder table = new StringBuilder();
            for (Member m : members) {
                table.append(" node ").append(m.node()).append(": ").append(m.firstCore()).append('-')
                        .append(m.lastCore()).append(';');
            }
            fail("node " + config.id() + ": the nodes' cores must be 0..n-1 with no gap, but core " + next
                    + " is run by no node:" + table);
            return;
        }
        coreCount = next;
        digest = digest();
        for (int n = 0; n < members.length; n++) {
            PeerLink l = links.get(n);
            if (l != null) {
                sendNode(l, new IntermonMessage.View(digest));
                if (l.viewed) {
                    checkView(l);
                }
            }
        }
        maybeAgreed();
    }

    private void sealAlone() {
        if (config.firstCore() != 0) {
            throw new NodeException("node " + config.id() + " is the only node, so it must run cores from 0, not "
                    + config.firstCore() + "-" + config.lastCore());
        }
        coreCount = config.lastCore() + 1;
        digest = digest();
        agreed = true;
        joined.countDown();
    }

    private void view(PeerLink l, IntermonMessage.View v) {
        if (l.viewed) {
            throw new IntermonException("a second VIEW");
        }
        l.viewed = true;
        l.viewDigest = v.digest();
        if (coreCount > 0) {
            checkView(l);
            maybeAgreed();
        }
    }

    private void checkView(PeerLink l) {
        if (l.viewDigest != digest) {
            fail("node " + config.id() + ": " + l.peer() + " agreed to another membership (digest "
                    + Long.toHexString(l.viewDigest) + ", this node's " + Long.toHexString(digest) + ")");
        }
    }

    private void maybeAgreed() {
        if (fatal != null || agreed) {
            return;
        }
        for (int n = 0; n < members.length; n++) {
            PeerLink l = links.get(n);
            if (n != config.id() && (l == null || !l.viewed)) {
                return;
            }
        }
        agreed = true;
        LOG.log(Level.INFO, "node " + config.id() + ": joined " + config.nodes() + " nodes running cores 0.."
                + (coreCount - 1) + " of " + config.machine().name());
        joined.countDown();
    }

    private long digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(config.machine().name().getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(12 * members.length);
            for (Member m : members) {
                b.putInt(m.node()).putInt(m.firstCore()).putInt(m.lastCore());
            }
            sha.update(b.array());
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** A mistake in the cluster's configuration: joining fails with {@code why}. */
    private void fail(String why) {
        if (fatal == null) {
            fatal = why;
            LOG.log(Level.ERROR, why);
        }
        joined.countDown();
    }

    /** As {@link #fail}, and tells the peer on {@code l} why before closing the link, so that it fails too. */
    private void failOn(PeerLink l, String why) {
        sendNode(l, new IntermonMessage.Leave(why.length() > 1000 ? why.substring(0, 1000) : why));
        l.flush(); // on the pump thread, which owns the channel: close() below sends what is published first
        l.closed = true;
        l.channel.close();
        fail(why);
    }

    /** Closes {@code l} because of what its peer sent. */
    private void refuse(PeerLink l, String reason) {
        String line = "node " + config.id() + ": closing the intermon link with " + l.peer() + ": " + reason;
        refusals.incrementAndGet();
        lastRefusal = line;
        LOG.log(Level.WARNING, line);
        l.closed = true;
        l.channel.close();
        if (l.node >= 0 && links.get(l.node) == l) {
            gone(l.node, l.peer() + " sent a malformed message");
        }
    }

    private void lost(PeerLink l, String why) {
        l.closed = true;
        if (l.node >= 0 && links.get(l.node) == l) {
            LOG.log(gone[l.node] || left || !running ? Level.DEBUG : Level.WARNING, "node " + config.id()
                    + ": the link with " + l.peer() + " closed: " + why);
            gone(l.node, "the link with " + l.peer() + " closed: " + why);
        }
    }

    /** Node {@code n} is no longer reachable: its cores' pending requests fail; when every peer is gone, stop. */
    private void gone(int n, String why) {
        if (gone[n]) {
            return;
        }
        gone[n] = true;
        if (!readyNodes[n]) {
            readyNodes[n] = true; // nobody waits for a node that has gone
            ready.countDown();
        }
        Member m = members[n];
        Multikernel k = kernel;
        if (!agreed) {
            fail("node " + config.id() + ": " + why + " before the membership was agreed");
            return;
        }
        boolean everyoneGone = everyPeerGone();
        if (k == null) {
            stopRequested |= everyoneGone;
            return;
        }
        // Each local core fails what it waits for from the lost cores; when the last peer has gone, the run stops,
        // but only after every core has run those failures' continuations (a task posted after them runs after).
        AtomicInteger cores = new AtomicInteger(config.lastCore() - config.firstCore() + 1);
        for (int c = config.firstCore(); c <= config.lastCore(); c++) {
            int core = c;
            k.platform().post(core, core, null, () -> {
                if (m != null) {
                    k.monitor(core).coresLost(m.firstCore(), m.lastCore(), why);
                }
                if (everyoneGone) {
                    k.platform().post(core, core, null, () -> {
                        if (cores.decrementAndGet() == 0) {
                            LOG.log(Level.INFO, "node " + config.id() + ": every other node has left; stopping");
                            k.platform().stop();
                        }
                    });
                }
            });
        }
    }

    private boolean everyPeerGone() {
        for (int p = 0; p < gone.length; p++) {
            if (p != config.id() && !gone[p]) {
                return false;
            }
        }
        return true;
    }

    // ---- leaving -------------------------------------------------------------------------------------------------

    private volatile boolean left;

    /** Tells every peer this node is leaving and waits (briefly) until that has been written. */
    private void leave(String why) {
        if (left) {
            return;
        }
        left = true;
        List<PeerLink> open = new ArrayList<>();
        for (int n = 0; n < members.length; n++) {
            PeerLink l = links.get(n);
            if (l != null && !l.closed) {
                sendNode(l, new IntermonMessage.Leave(why));
                open.add(l);
            }
        }
        wake();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (PeerLink l : open) {
            while (!l.drained() && !l.closed && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Leaves the cluster if still in it, closes every link and the listener, and stops the pump. */
    @Override
    public void close() {
        if (agreed && running) {
            leave("it closed");
        }
        running = false;
        wake();
        try {
            pump.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Multikernel k = kernel;
        if (k != null) {
            k.close();
        }
        net.close();
        rendezvous.shutdownNow();
        channels.releaseAll();
    }

    @Override
    public String toString() {
        return "node " + config.id() + " (cores " + config.firstCore() + "-" + config.lastCore() + ")";
    }
}
