package io.flotilla.kernel.node;

import io.flotilla.channel.Channel;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.binding.Binding;
import io.flotilla.kernel.Internode;
import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.intermon.IntermonStub;
import io.flotilla.kernel.node.MemberTable.Member;
import io.flotilla.kernel.node.membership.MembershipHandler;
import io.flotilla.kernel.node.membership.MembershipStub;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.transport.net.NetChannel;
import io.flotilla.transport.net.NetConfig;
import io.flotilla.transport.net.NetHandshakeException;
import io.flotilla.transport.net.NetRefusal;
import io.flotilla.transport.net.NetServer;
import io.flotilla.transport.net.NetTransport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One JVM's share of a multikernel that spans several: it runs cores {@code firstCore..lastCore} of the machine on
 * the pinned platform and reaches the other nodes' monitors over {@code net} connections (it is their
 * {@link Internode}). Binds between nodes get net channels of their own, or urpc channels in shared-memory files
 * between nodes of one host (same {@link HostIdentity}); the file names travel as intermon messages and are checked
 * against this node's {@link ChannelDirectory} before anything is mapped.
 *
 * <p><b>The link between two nodes</b> carries routed messages only: a {@linkplain InternodeRoute route frame}
 * (from, to, frame count), then the message's frames, unchanged. Monitor messages ({@code intermon.if}) name
 * cores; the nodes' own messages ({@code membership.if}) go from {@link InternodeRoute#NODE} to {@code NODE}.
 * The node never decodes a monitor message: it checks the route and the framing and switches the message whole
 * onto the target core's {@linkplain CoreInbox inbox}.
 *
 * <p><b>Joining.</b> {@link #start} listens on this node's address, dials every node with a lower id (so each pair
 * of nodes has exactly one link), and proves the cluster secret in the net handshake of each. Each side's first
 * membership message is a HELLO (id, node count, core range, machine, host); a node checks it against its own
 * configuration and every HELLO so far (same machine and node count, no overlapping cores, the id the address
 * was dialled for). Once it has every node's HELLO and the ranges cover cores {@code 0..n-1} exactly, it sends each
 * peer the digest of the whole table (VIEW); the membership is agreed when every peer's digest equals its own.
 * Configuration mistakes fail {@code start} on the spot with a message naming the node; silence fails it after the
 * join timeout.
 *
 * <p><b>Running.</b> {@link #boot} boots the multikernel with every core of the membership, of which this JVM runs
 * its own; a monitor sends to a core elsewhere on {@link #outbound} and hears other nodes on {@link #inbox}. One
 * pump thread owns all links: it writes queued messages, reads and checks incoming ones (a malformed or unauthorised
 * message closes that link with one logged line naming the peer; the node carries on) and writes monitor messages
 * into their core's inbox. A dispatcher's {@code stopKernel()} stops every node (STOP); a node whose run ends says
 * LEAVE; when a node left or its link broke, the node writes {@code cores_lost} into every local core's inbox, so
 * monitors waiting on it get their errors at once.
 */
public final class Node implements Internode, AutoCloseable {

    static final System.Logger LOG = System.getLogger("io.flotilla.kernel.node");

    /**
     * The version of what travels on a link between nodes: 3 is routed messages of generated interfaces
     * ({@code intermon.if}, {@code membership.if}); 2 was the hand-written intermon codec. Nodes of different
     * versions refuse each other in the handshake.
     */
    static final int WIRE_VERSION = 3;
    /** The interface name every link's handshake names; the fingerprint carries the wire version. */
    static final String INTERFACE = "flotilla.intermon";
    static final long FINGERPRINT = 0x464C_4F54_494D_0000L | WIRE_VERSION;

    /** A link on which nothing arrives for this long is cut; heartbeats go out at a third of it. */
    static final Duration LINK_IDLE_TIMEOUT = Duration.ofSeconds(3);
    /** How long the listening side keeps a cut link for its peer to redial and resume it. */
    static final Duration LINK_RESUME_WINDOW = Duration.ofSeconds(3);
    /** Redials of a cut link by the dialling side, each bounded by {@link #LINK_HANDSHAKE_TIMEOUT}. */
    static final int LINK_REDIALS = 2;
    /** A link's connect and handshake must finish within this (a partitioned peer does not answer at all). */
    static final Duration LINK_HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The longest a node takes to call a dead or silent peer lost: the cut for silence, then the longer of the
     * listener's resume window (3 s) and the dialler's redials (2 x 2 s, with 50 + 100 ms of backoff): 3 + 4.15 s,
     * rounded up. A peer whose process died is seen sooner (its system refuses the redials at once).
     */
    public static final Duration DETECTION_BOUND = Duration.ofSeconds(8);

    private static final int SPINS = 100;
    private static final long PARK_NANOS = 200_000;
    /** Routed messages read from one link per pump turn at most, so that one busy peer cannot starve the others. */
    private static final int READ_TURNS = 32;

    private final NodeConfig config;
    private final byte[] secret;
    private final String host;
    private final long pid = ProcessHandle.current().pid();
    private final NetTransport net;
    private final NetServer server;
    private final BindChannels binds;

    // Membership: written by the pump thread while joining, read by anyone after joined counts down (which orders).
    private final MemberTable members;
    private final AtomicReferenceArray<PeerLink> links;
    private final boolean[] gone;
    private int coreCount;
    private long digest;
    private final CountDownLatch joined = new CountDownLatch(1);
    /** The addresses each node's host name in --peers resolves to, looked up once at the start (not on a loop). */
    private final List<List<java.net.InetAddress>> peerHosts = new ArrayList<>();
    private final CountDownLatch ready;
    private final boolean[] readyNodes; // pump thread
    private volatile boolean agreed;
    private volatile String fatal;
    private volatile NodeException.Cause fatalCause = NodeException.Cause.CONFIGURATION;
    /** The first peer this node lost after joining (its link broke, or it broke the protocol), and why; or null. */
    private volatile NodeException lost;

    private final ConcurrentLinkedQueue<PeerLink> arriving = new ConcurrentLinkedQueue<>();
    private final List<PeerLink> live = new ArrayList<>(); // pump thread only
    /** Local core firstCore + i hears other nodes on inboxes[i]; they exist from the start, so nothing waits. */
    private final CoreInbox[] inboxes;
    /** The node runtime's own intermon messages to local core firstCore + i (pump thread only). */
    private final IntermonStub[] toCore;
    /** After every peer has gone: the run stops once each local core has handled cores_lost (pump thread). */
    private boolean stopWhenHandled;
    private long[] pollsAtDrain;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread pump;
    private volatile boolean running = true;
    private volatile Multikernel kernel;
    private volatile boolean stopRequested;
    private final AtomicLong refusals = new AtomicLong();
    private volatile String lastRefusal;

    // The link the pump is reading, for the route policy of its RouteCheck.
    private PeerLink reading;

    private Node(NodeConfig config) throws IOException {
        this.config = config;
        this.secret = config.secret();
        this.host = config.self().getHostString();
        this.links = new AtomicReferenceArray<>(config.nodes());
        for (InetSocketAddress peer : config.peers()) {
            List<java.net.InetAddress> addresses;
            try {
                addresses = List.of(java.net.InetAddress.getAllByName(peer.getHostString()));
            } catch (java.net.UnknownHostException e) {
                addresses = List.of(); // dialling it will say so; a refusal from it cannot be matched meanwhile
            }
            peerHosts.add(addresses);
        }
        this.gone = new boolean[config.nodes()];
        this.readyNodes = new boolean[config.nodes()];
        this.ready = new CountDownLatch(config.nodes() - 1);
        this.members = new MemberTable(config.machine(), config.nodes(), new Member(config.id(), config.firstCore(),
                config.lastCore(), pid, host, config.hostId()));
        int local = config.lastCore() - config.firstCore() + 1;
        this.inboxes = new CoreInbox[local];
        this.toCore = new IntermonStub[local];
        for (int i = 0; i < local; i++) {
            int core = config.firstCore() + i;
            CoreInbox inbox = new CoreInbox(core);
            inboxes[i] = inbox;
            toCore[i] = new IntermonStub(new Binding(new RoutedSender(InternodeRoute.NODE, core, inbox::post)));
        }
        this.net = NetTransport.create(2, true, true);
        InetSocketAddress listen = new InetSocketAddress(host, config.listenPort());
        try {
            this.server = net.listen(listen, intermonConfig(), channel -> {
                arriving.add(link(channel, -1));
                wake();
            });
            server.onRefusal(this::handshakeRefused);
        } catch (IOException e) {
            net.close();
            throw new IOException("node " + config.id() + " cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        this.pump = new Thread(this::pump, "flotilla-node-" + config.id());
        pump.setDaemon(true);
        try {
            this.binds = new BindChannels(config.id(), net, secret, host, () -> kernel, line -> {
                refusals.incrementAndGet();
                lastRefusal = line;
            });
        } catch (IllegalStateException unsafeChannelDirectory) {
            net.close();
            throw new IOException("node " + config.id() + ": " + unsafeChannelDirectory.getMessage());
        }
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
            node.awaitFarewells();
            node.close();
            throw e;
        }
    }

    /**
     * Links closed by {@link #failOn}, whose LEAVE saying why must reach the peer before this node's transport shuts
     * down: closing the transport aborts a closing link at once, and the peer, never told, then waited out its join
     * timeout ("no agreement yet") instead of failing with the reason (seen in CI, about one run in five).
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<CompletableFuture<?>> farewells =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Waits, at most {@link #FAREWELL_WAIT} in all, for the links closed with a reason to finish closing. */
    private void awaitFarewells() {
        long deadline = System.nanoTime() + FAREWELL_WAIT.toNanos();
        for (CompletableFuture<?> f; (f = farewells.poll()) != null; ) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return; // told or not, the join has failed; the peer's own timeout remains its backstop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final Duration FAREWELL_WAIT = Duration.ofSeconds(2);

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
                for (int n = 0; n < members.nodes(); n++) {
                    PeerLink l = links.get(n);
                    if (n != config.id() && (l == null || !l.viewed)) {
                        missing.append(missing.length() == 0 ? "" : ", ").append(n).append(" (")
                                .append(address(n)).append(')');
                    }
                }
                String last = lastRefusal != null ? lastRefusal
                        : server.lastRefusal() != null ? server.lastRefusal() : null;
                throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                        + ": the membership was not agreed within "
                        + config.joinTimeout().toSeconds() + " s; no agreement yet with node(s) " + missing
                        + (last != null ? "; last refusal: " + last : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                    + ": interrupted while joining");
        }
        if (fatal != null) {
            throw new NodeException(fatalCause, fatal);
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
                PeerLink link = link(channel, peer);
                link.say(this::hello);
                arriving.add(link);
                wake();
                return;
            } catch (NetHandshakeException e) {
                String hint = e.refusal() == NetRefusal.AUTHENTICATION
                        ? "; every node must use the same cluster secret (--secret-file)" : "";
                throw new NodeException(NodeException.Cause.REFUSED, "node " + config.id()
                        + ": the handshake with node " + peer + " at " + where + " failed: " + e.getMessage() + hint);
            } catch (IOException e) {
                last = e.getMessage();
                LockSupport.parkNanos(100_000_000L);
            }
        }
        if (fatal != null) {
            throw new NodeException(fatalCause, fatal);
        }
        throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id() + ": cannot reach node " + peer
                + " at " + where + " within " + config.joinTimeout().toSeconds() + " s: " + last);
    }

    /**
     * The links between nodes detect a dead or silent peer within {@link #DETECTION_BOUND}: a quiet link carries a
     * heartbeat every second, and a link on which nothing (not even a heartbeat) arrived for
     * {@link #LINK_IDLE_TIMEOUT} is cut; a cut link is redialled twice (a brief network cut heals without the nodes
     * noticing) and, on the listening side, kept for its dialler to resume for {@link #LINK_RESUME_WINDOW}; past
     * that the peer is lost. A peer whose process dies is usually seen at once (its
     * system resets the connection), so within the resume window.
     */
    private NetConfig intermonConfig() {
        return NetConfig.builder(secret, INTERFACE, FINGERPRINT)
                .idleTimeout(LINK_IDLE_TIMEOUT)
                .handshakeTimeout(LINK_HANDSHAKE_TIMEOUT)
                .reconnectAttempts(LINK_REDIALS)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .sessionLinger(LINK_RESUME_WINDOW)
                .closeLinger(Duration.ofSeconds(2))
                .build();
    }

    /** A link to a peer, whose membership messages this node hears. */
    private PeerLink link(NetChannel channel, int expected) {
        PeerLink l = new PeerLink(channel, expected, config.machine().coreCount(), this::routeRefusal);
        l.hear(new LinkMembership(l));
        return l;
    }

    private void hello(MembershipStub to) {
        to.hello((short) config.id(), (short) config.nodes(), config.firstCore(), config.lastCore(), pid,
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
        Multikernel.Builder b = Multikernel.builder(config.machine(), platform).cores(coreCount).internode(this);
        setup.accept(b);
        Multikernel mk = b.boot();
        kernel = mk;
        if (stopRequested) {
            platform.stop();
        }
        for (int n = 0; n < members.nodes(); n++) {
            PeerLink l = links.get(n);
            if (l != null && !l.closed) {
                l.say(MembershipStub::ready);
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
                throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                        + ": not every node booted within "
                        + config.joinTimeout().toSeconds() + " s of this one");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                    + ": interrupted while waiting for the others to boot");
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

    /**
     * The peer this node lost while it ran, as the failure to report (cause {@link NodeException.Cause#PEER_LOST},
     * naming the peer and why), or null when every peer that went said goodbye. A node that loses a peer stops its
     * run within {@link #DETECTION_BOUND}; the owner checks this after {@link #run} to tell a lost peer from an
     * ordinary end.
     */
    public NodeException peerLost() {
        return lost;
    }

    /** Monitor messages dropped because the node of the core they were for had gone, since start. */
    public long droppedMessages() {
        return dropped.get();
    }

    // ---- Internode -----------------------------------------------------------------------------------------------

    @Override
    public boolean isLocal(int core) {
        return core >= config.firstCore() && core <= config.lastCore();
    }

    /**
     * A channel that carries {@code core}'s monitor messages to the monitor of {@code remoteCore}: each message,
     * once its last frame is written, goes to the link of {@code remoteCore}'s node as one unit behind its route
     * frame. Messages for a node that has gone are dropped (counted in {@link #droppedMessages}).
     */
    @Override
    public Channel outbound(int core, int remoteCore) {
        if (!isLocal(core)) {
            throw new IllegalArgumentException("core " + core + " does not run on " + this);
        }
        Member m = owner(remoteCore);
        if (m == null || m.node() == config.id()) {
            throw new IllegalArgumentException("core " + remoteCore + " runs on no other node of " + this);
        }
        int node = m.node();
        return new RoutedSender(core, remoteCore, unit -> send(node, remoteCore, unit));
    }

    @Override
    public Channel inbox(int core) {
        if (!isLocal(core)) {
            throw new IllegalArgumentException("core " + core + " does not run on " + this);
        }
        return inboxes[core - config.firstCore()].channel();
    }

    private void send(int node, int toCore, long[] unit) {
        PeerLink l = links.get(node);
        if (l == null || l.closed) {
            dropped.incrementAndGet();
            LOG.log(Level.DEBUG, () -> "node " + config.id() + ": dropping a monitor message for core " + toCore
                    + ": node " + node + " has gone");
            return;
        }
        l.enqueue(unit);
        wake();
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
        return binds.urpcChannelsMade();
    }

    /** urpc channel files of other nodes this node attached to (and deleted), since start. */
    public long urpcChannelsAttached() {
        return binds.urpcChannelsAttached();
    }

    /** The directory of this node's urpc channel files to other nodes of its host. */
    public java.nio.file.Path channelDirectory() {
        return binds.channelDirectory();
    }

    @Override
    public UrpcOffer offerUrpc(int core, int slots) throws IOException {
        return binds.offerUrpc(core, slots);
    }

    @Override
    public String checkUrpcFile(int core, String file) {
        return binds.checkUrpcFile(core, file);
    }

    @Override
    public CompletableFuture<Channel> attachUrpc(int core, String file) {
        return binds.attachUrpc(core, file);
    }

    @Override
    public BindListener listen(int core, Consumer<Channel> accepted) throws IOException {
        return binds.listen(core, accepted);
    }

    @Override
    public CompletableFuture<Channel> connect(int core, String toHost, int port, long token) {
        return binds.connect(core, toHost, port, token);
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
        return members.owner(core);
    }

    @Override
    public void stopAll() {
        for (int n = 0; n < members.nodes(); n++) {
            PeerLink l = links.get(n);
            if (l != null && !l.closed) {
                l.say(MembershipStub::stop);
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
            for (int i = 0; i < live.size(); i++) {
                PeerLink l = live.get(i);
                work += l.flush();
                reading = l;
                try {
                    work += read(l);
                } catch (PeerProtocolException e) {
                    refuse(l, e.getMessage());
                }
                if (!l.channel.isOpen() && !l.closed) {
                    lost(l, l.channel.closeReason());
                }
                if (l.closed) {
                    live.remove(i--);
                }
            }
            for (CoreInbox inbox : inboxes) {
                work += inbox.flush();
            }
            if (stopWhenHandled) {
                stopOnceHandled();
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

    /**
     * Reads what {@code l}'s peer sent, a routed message at a time: the {@link RouteCheck} stages and checks it, then
     * it goes whole to its core's inbox, or to this node's membership handler. A message whose inbox is full stays
     * staged, and the link is not read further until it fits (the peer's sends back up behind it).
     *
     * @return frames read
     * @throws PeerProtocolException if the peer broke the protocol
     */
    private int read(PeerLink l) {
        RouteCheck in = l.incoming;
        int frames = 0;
        for (int turn = 0; turn < READ_TURNS && !l.closed; turn++) {
            if (in.complete()) {
                if (!handOn(l, in)) {
                    break;
                }
                continue;
            }
            int n = l.channel.poll(in, in.wanted());
            if (n == 0) {
                break;
            }
            frames += n;
        }
        return frames;
    }

    private boolean handOn(PeerLink l, RouteCheck in) {
        if (in.to() == InternodeRoute.NODE) {
            for (int f = 1; f < in.unitFrames(); f++) {
                l.membershipIn.deliver(in.at(f));
            }
            in.next();
            return true;
        }
        CoreInbox inbox = inboxes[in.to() - config.firstCore()];
        if (!inbox.hasRoomFor(in.unitFrames())) {
            return false;
        }
        inbox.write(in.unit(), in.unitFrames());
        in.next();
        return true;
    }

    /**
     * Whether the link being read may carry a message from {@code from} to {@code to}: a node speaks only for its own
     * cores, to cores this node runs, once both have said who they are; the node runtimes speak only to each other.
     */
    private String routeRefusal(int from, int to) {
        PeerLink l = reading;
        if (to == InternodeRoute.NODE) {
            return from == InternodeRoute.NODE ? null : "a message from core " + from + " to the node runtime";
        }
        if (from == InternodeRoute.NODE) {
            return "a message from the node runtime to core " + to + "'s monitor (only this node's own may)";
        }
        if (l.node < 0 || !l.viewed) {
            return "a monitor message before the membership was agreed";
        }
        if (!members.get(l.node).runs(from)) {
            return "a message on behalf of core " + from + ", which node " + l.node + " does not run";
        }
        if (!isLocal(to)) {
            return "a message for core " + to + ", which node " + config.id() + " does not run";
        }
        return null;
    }

    /** One link's membership messages, decoded by the generated {@code membership} decoder (pump thread). */
    private final class LinkMembership implements MembershipHandler {
        private final PeerLink l;

        LinkMembership(PeerLink l) {
            this.l = l;
        }

        @Override
        public void hello(short node, short nodes, int firstCore, int lastCore, long pid, String topology,
                String host, String hostId) {
            if (l.node >= 0) {
                throw new PeerProtocolException("a second HELLO");
            }
            Node.this.hello(l, new Hello(Short.toUnsignedInt(node), Short.toUnsignedInt(nodes), firstCore, lastCore,
                    pid, topology, host, hostId));
        }

        @Override
        public void view(long digest) {
            introduced("VIEW");
            Node.this.view(l, digest);
        }

        @Override
        public void ready() {
            introduced("READY");
            if (!agreed || readyNodes[l.node]) {
                throw new PeerProtocolException(readyNodes[l.node] ? "a second READY" : "READY before the membership");
            }
            readyNodes[l.node] = true;
            ready.countDown();
        }

        @Override
        public void stop() {
            introduced("STOP");
            stopRequested = true;
            Multikernel k = kernel;
            if (k != null) {
                k.platform().stop(); // not k.stop(): that would tell every node again
            }
        }

        @Override
        public void leave(String reason) {
            int n = l.node >= 0 ? l.node : l.expected;
            String why = Text.line(reason, 300);
            LOG.log(Level.INFO, "node " + config.id() + ": " + l.peer() + " left: " + why);
            l.closed = true;
            l.channel.closeExpectingLoss(); // it consumes nothing more: what it did not confirm, it never will
            if (n >= 0) {
                gone(n, l.peer() + " left (" + why + ")", true);
            }
        }

        private void introduced(String message) {
            if (l.node < 0) {
                throw new PeerProtocolException(message + " before HELLO");
            }
        }
    }

    private void hello(PeerLink l, Hello h) {
        if (agreed) {
            // A node that restarted, or one started late: the membership is fixed at the join (every core's
            // monitor has its peers' state), so it cannot take a place in it. Say why, so it fails at once.
            String why = "node " + config.id() + " is in a multikernel whose membership was agreed already; node "
                    + h.node() + " cannot rejoin it: stop every node and start them all again";
            String line = "node " + config.id() + ": refusing " + l.peer() + ": HELLO from node " + h.node()
                    + " after the membership was agreed";
            refusals.incrementAndGet();
            lastRefusal = line;
            LOG.log(Level.WARNING, line);
            l.say(stub -> stub.leave(Text.clip(why, 1024)));
            l.flush();
            l.closed = true;
            l.channel.close();
            return;
        }
        String who = "node " + h.node() + " (" + l.channel.remoteAddress() + ")";
        if (l.expected >= 0 && h.node() != l.expected) {
            failOn(l, "node " + config.id() + ": the node at " + address(l.expected) + " says it is node "
                    + h.node() + ", but --peers lists it as node " + l.expected);
            return;
        }
        if (l.expected < 0 && (h.node() <= config.id() || h.node() >= config.nodes())) {
            throw new PeerProtocolException("HELLO from node " + h.node() + ", but only nodes " + (config.id() + 1) + ".."
                    + (config.nodes() - 1) + " dial node " + config.id());
        }
        if (l.expected < 0 && links.get(h.node()) != null) {
            throw new PeerProtocolException("HELLO from node " + h.node() + ", which is connected already");
        }
        String mismatch = members.mismatch(h, who);
        if (mismatch != null) {
            failOn(l, mismatch);
            return;
        }
        members.add(h);
        l.node = h.node();
        links.set(h.node(), l);
        if (l.expected < 0) {
            l.say(this::hello);
        }
        LOG.log(Level.DEBUG, () -> "node " + config.id() + ": " + who + " runs cores " + h.firstCore() + "-"
                + h.lastCore());
        if (members.complete()) {
            seal();
        }
    }

    /** Every HELLO is in: check the ranges cover 0..n-1 and send each peer the digest of the table. */
    private void seal() {
        String gap = members.gap();
        if (gap != null) {
            fail("node " + config.id() + ": " + gap);
            return;
        }
        coreCount = members.coveredFromZero();
        digest = members.digest();
        for (int n = 0; n < members.nodes(); n++) {
            PeerLink l = links.get(n);
            if (l != null) {
                l.say(stub -> stub.view(digest));
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
        digest = members.digest();
        agreed = true;
        joined.countDown();
    }

    private void view(PeerLink l, long viewDigest) {
        if (l.viewed) {
            throw new PeerProtocolException("a second VIEW");
        }
        l.viewed = true;
        l.viewDigest = viewDigest;
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
        for (int n = 0; n < members.nodes(); n++) {
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

    /** A mistake in the cluster's configuration: joining fails with {@code why}. */
    private void fail(String why) {
        fail(NodeException.Cause.CONFIGURATION, why);
    }

    /** Joining fails with {@code why}, a failure of kind {@code cause}. Any thread; the first reason stays. */
    private synchronized void fail(NodeException.Cause cause, String why) {
        if (fatal == null) {
            fatalCause = cause;
            fatal = why; // volatile, after the cause: whoever reads fatal sees its cause
            // Not logged as an error: start() throws it to the owner, who reports it once.
            LOG.log(Level.DEBUG, why);
        }
        joined.countDown();
    }

    /**
     * The listener refused a handshake, or a dialler refused this node's: when that was for the cluster secret,
     * from the host of a node that has not joined yet, the join fails now, saying so, instead of at its timeout.
     * (An outsider on that host can make a join fail this way; it could not make it succeed.)
     */
    private void handshakeRefused(InetSocketAddress from, NetRefusal why) {
        if (agreed || why != NetRefusal.AUTHENTICATION && why != NetRefusal.PROTOCOL_VERSION
                && why != NetRefusal.INTERFACE) {
            return;
        }
        for (int n = config.id() + 1; n < config.nodes(); n++) {
            if (links.get(n) == null && peerHosts.get(n).contains(from.getAddress())) {
                String what = why == NetRefusal.AUTHENTICATION
                        ? "does not have this node's cluster secret; every node must use the same --secret-file"
                        : "speaks another version of the links between nodes (" + why + "); run one Flotilla "
                                + "version on every node";
                fail(NodeException.Cause.REFUSED, "node " + config.id() + ": the node that dialled from " + from
                        + " (node " + n + " at " + address(n) + "?) " + what);
                return;
            }
        }
    }

    /** As {@link #fail}, and tells the peer on {@code l} why before closing the link, so that it fails too. */
    private void failOn(PeerLink l, String why) {
        String reason = Text.clip(why, 1024);
        l.say(stub -> stub.leave(reason));
        l.flush(); // on the pump thread, which owns the channel: close() below sends what is published first
        l.closed = true;
        l.channel.close();
        farewells.add(l.channel.closeFuture());
        fail(why);
    }

    /** Closes {@code l} because of what its peer sent. */
    private void refuse(PeerLink l, String reason) {
        String line = "node " + config.id() + ": closing the link with " + l.peer() + ": " + Text.line(reason, 300);
        refusals.incrementAndGet();
        lastRefusal = line;
        LOG.log(Level.WARNING, line);
        l.closed = true;
        l.channel.close();
        if (l.node >= 0 && links.get(l.node) == l) {
            gone(l.node, l.peer() + " broke the link protocol (" + Text.line(reason, 300) + ")", false);
        }
    }

    private void lost(PeerLink l, String why) {
        l.closed = true;
        if (l.node >= 0 && links.get(l.node) == l) {
            // Not logged as a warning: a loss during the run is the node's failure, which its owner reports once
            // (peerLost()); a loss after this node left is no failure at all.
            LOG.log(Level.DEBUG, () -> "node " + config.id() + ": the link with " + l.peer() + " closed: " + why);
            gone(l.node, "the link with " + l.peer() + " closed: " + Text.line(why, 300), false);
        }
    }

    /**
     * Node {@code n} is no longer reachable: its cores' pending requests fail. When it left in order ({@code orderly}:
     * it said LEAVE) the run goes on while other peers remain; when it was lost (its link broke or went silent, or it
     * broke the protocol) the multikernel is missing cores nobody said goodbye for, so this node records the loss
     * as its failure ({@link #peerLost()}) and stops, like every other node that loses it: fail-stop, within
     * {@link #DETECTION_BOUND}.
     */
    private void gone(int n, String why, boolean orderly) {
        if (gone[n]) {
            return;
        }
        gone[n] = true;
        if (!readyNodes[n]) {
            readyNodes[n] = true; // nobody waits for a node that has gone
            ready.countDown();
        }
        Member m = members.get(n);
        if (!agreed) {
            // A peer that says LEAVE before the membership is agreed refuses this node, and says why.
            fail(orderly ? NodeException.Cause.REFUSED : NodeException.Cause.PEER_LOST,
                    "node " + config.id() + ": " + why + " before the membership was agreed");
            return;
        }
        boolean failStop = !orderly && !left && running;
        if (failStop && lost == null) {
            lost = new NodeException(NodeException.Cause.PEER_LOST, "node " + config.id() + ": lost node " + n
                    + " at " + address(n) + " (cores " + m.firstCore() + "-" + m.lastCore() + "): " + why);
        }
        boolean everyoneGone = everyPeerGone() || failStop;
        // Each local core's monitor fails what it waits for from the lost cores when it reads cores_lost, which
        // goes into its inbox behind everything that node sent before; when the last peer has gone, the run stops
        // once every core has handled it (stopOnceHandled).
        String reason = Text.clip(why, 1023);
        for (IntermonStub core : toCore) {
            core.coresLost(m.firstCore(), m.lastCore(), reason);
        }
        if (everyoneGone) {
            stopRequested = true; // a boot still to come stops at once
            if (kernel != null) { // read again: a boot may have looked at stopRequested before it was set
                stopWhenHandled = true;
                pollsAtDrain = new long[inboxes.length];
                java.util.Arrays.fill(pollsAtDrain, -1);
            }
        }
    }

    /**
     * Stops the platform once every local core has handled the cores_lost messages: its inbox is drained (the
     * handler has returned), and the core has polled the inbox again since, which on the pinned platform's core
     * loop comes after the tasks the handler scheduled at once (the continuations of the failed requests) have run.
     */
    private void stopOnceHandled() {
        boolean all = true;
        for (int i = 0; i < inboxes.length; i++) {
            CoreInbox inbox = inboxes[i];
            if (pollsAtDrain[i] < 0) {
                if (inbox.drained()) {
                    pollsAtDrain[i] = inbox.polls();
                }
                all = false;
            } else if (inbox.polls() <= pollsAtDrain[i]) {
                all = false;
            }
        }
        if (all) {
            stopWhenHandled = false;
            LOG.log(Level.INFO, "node " + config.id() + (lost != null ? ": a peer was lost; stopping"
                    : ": every other node has left; stopping"));
            kernel.platform().stop();
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
        for (int n = 0; n < members.nodes(); n++) {
            PeerLink l = links.get(n);
            if (l != null && !l.closed) {
                l.say(stub -> stub.leave(Text.clip(why, 1024)));
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
        if (!pump.isAlive()) {
            closeLinks();
        }
        Multikernel k = kernel;
        if (k != null) {
            k.close();
        }
        net.close();
        binds.close();
    }

    /**
     * Closes every link gracefully, after the LEAVE this node said on it: what is in the ring goes out, then the
     * transport's goodbye, so the peer reads LEAVE and sees an orderly close, not a lost link; waits (at most two
     * seconds in all) for the goodbyes before the transport is shut. A peer that stopped reading (it left too) may not
     * confirm the last frames; that loss is expected here and not a warning. On the closing thread, once the pump has
     * stopped: the links' channels are this thread's now.
     */
    private void closeLinks() {
        for (PeerLink l; (l = arriving.poll()) != null; ) {
            live.add(l);
        }
        List<CompletableFuture<?>> ends = new ArrayList<>();
        for (PeerLink l : live) {
            l.flush();
            l.closed = true;
            l.channel.closeExpectingLoss();
            ends.add(l.channel.closeFuture());
        }
        try {
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.DEBUG, () -> "node " + config.id() + ": not every link closed in order: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "node " + config.id() + " (cores " + config.firstCore() + "-" + config.lastCore() + ")";
    }
}
