package io.flotilla.kernel.node;

import io.flotilla.channel.Channel;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Internode;
import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.node.membership.MembershipStub;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.transport.net.NetTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One JVM's share of a multikernel that spans several: it runs cores {@code firstCore..lastCore} of the machine on
 * the pinned platform and reaches the other nodes' monitors over {@code net} connections (it is their
 * {@link Internode}). Binds between nodes get net channels of their own, or urpc channels in shared-memory files
 * between nodes of one host (same {@link HostIdentity}); the file names travel as intermon messages and are checked
 * against this node's {@link ChannelDirectory} before anything is mapped.
 *
 * <p>The front door of three parts, which it wires together:
 * <ul>
 *   <li>{@link Membership}: the join protocol as a state machine. {@link #start} listens, dials every node with a lower
 *       id and proves the cluster secret on each link; the nodes trade HELLOs (id, node count, core range, machine,
 *       host), each checks them against its own configuration, and once the ranges cover cores {@code 0..n-1} they
 *       trade the table's digest (VIEW): the membership is agreed when every digest matches. Configuration mistakes
 *       fail {@code start} on the spot with a message naming the node; silence fails it after the join timeout.</li>
 *   <li>{@link PeerLinks}: one link per pair of nodes and the pump thread that owns them all. A link carries routed
 *       messages only: a {@linkplain InternodeRoute route frame} (from, to, frame count), then the message's frames,
 *       unchanged: monitor messages ({@code intermon.if}) name cores, the nodes' own ({@code membership.if}) go from
 *       {@link InternodeRoute#NODE} to {@code NODE}. The node never decodes a monitor message: it checks the route
 *       and the framing and switches the message whole onto the target core's {@linkplain CoreInbox inbox}. A
 *       malformed or unauthorised message closes that link with one logged line naming the peer; the node carries
 *       on.</li>
 *   <li>{@link NodeChannels}: what the kernel sees ({@link Internode}): {@link #outbound} to a core elsewhere,
 *       {@link #inbox} to hear other nodes, the endpoints the selector decides by, and the channels of binds.</li>
 * </ul>
 *
 * <p><b>Running.</b> {@link #boot} boots the multikernel with every core of the membership, of which this JVM runs
 * its own. A dispatcher's {@code stopKernel()} stops every node (STOP); a node whose run ends says LEAVE; when a node
 * left or its link broke, the node writes {@code cores_lost} into every local core's inbox, so monitors waiting on it
 * get their errors at once; a peer lost (not one that left) stops this node too ({@link #peerLost}).
 */
public final class Node implements Internode, AutoCloseable {

    static final System.Logger LOG = System.getLogger("io.flotilla.kernel.node");

    /**
     * The longest a node takes to call a dead or silent peer lost: the cut for silence, then the longer of the
     * listener's resume window (3 s) and the dialler's redials (2 x 2 s, with 50 + 100 ms of backoff): 3 + 4.15 s,
     * rounded up (see {@link LinkConfig}). A peer whose process died is
     * seen sooner (its system refuses the redials at once).
     */
    public static final Duration DETECTION_BOUND = Duration.ofSeconds(8);

    private final NodeConfig config;
    private final long pid = ProcessHandle.current().pid();
    private final NetTransport net;
    private final LocalCores cores;
    private final Membership<PeerLink> membership;
    private final PeerLinks links;
    private final BindChannels binds;
    private final NodeChannels channels;

    private Node(NodeConfig config) throws IOException {
        this.config = config;
        Refusals refusals = new Refusals();
        this.cores = new LocalCores(config.id(), config.firstCore(), config.lastCore());
        this.membership = new Membership<>(config, pid, refusals, cores);
        this.net = NetTransport.create(2, true, true);
        try {
            this.links = new PeerLinks(config, membership, cores, refusals, net, this::hello);
            this.binds = new BindChannels(config.id(), net, config.secret(), config.self().getHostString(),
                    cores::kernel, refusals::add);
        } catch (IOException e) {
            net.close();
            throw e;
        } catch (IllegalStateException unsafeChannelDirectory) {
            net.close();
            throw new IOException("node " + config.id() + ": " + unsafeChannelDirectory.getMessage());
        }
        this.channels = new NodeChannels(config, membership, links, cores, binds);
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
            node.membership.awaitFarewells();
            node.close();
            throw e;
        }
    }

    private void join() {
        links.start();
        long deadline = System.nanoTime() + config.joinTimeout().toNanos();
        for (int peer = 0; peer < config.id(); peer++) {
            links.dial(peer, deadline);
        }
        if (config.nodes() == 1) {
            membership.alone();
        }
        try {
            if (!membership.awaitJoined(deadline)) {
                String missing = membership.notViewed().stream()
                        .map(n -> n + " (" + config.address(n) + ")").collect(Collectors.joining(", "));
                String last = links.lastRefusal();
                throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                        + ": the membership was not agreed within " + config.joinTimeout().toSeconds()
                        + " s; no agreement yet with node(s) " + missing
                        + (last != null ? "; last refusal: " + last : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                    + ": interrupted while joining");
        }
        NodeException failed = membership.joinFailure();
        if (failed != null) {
            throw failed;
        }
    }

    private void hello(MembershipStub to) {
        to.hello((short) config.id(), (short) config.nodes(), config.firstCore(), config.lastCore(), pid,
                config.machine().name(), config.self().getHostString(), config.hostId());
    }

    // ---- after joining -------------------------------------------------------------------------------------------

    /** Cores of the whole multikernel: every node's together. */
    public int coreCount() {
        return membership.coreCount();
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
        if (cores.kernel() != null) {
            throw new IllegalStateException("node " + config.id() + " has booted already");
        }
        PinnedPlatform platform = new PinnedPlatform(TransportRegistry.discover(), true, true, System.nanoTime());
        return boot(platform, setup);
    }

    /** As {@link #boot(Consumer)}, on the given (pinned, fresh) platform. */
    public Multikernel boot(PinnedPlatform platform, Consumer<Multikernel.Builder> setup) {
        Multikernel.Builder b = Multikernel.builder(config.machine(), platform).cores(coreCount()).internode(this);
        setup.accept(b);
        Multikernel mk = b.boot();
        cores.booted(mk);
        links.sayToAll(MembershipStub::ready); // the pump delivers what arrived before the boot, and says READY
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
        Multikernel mk = cores.kernel();
        if (mk == null) {
            throw new IllegalStateException("boot the node before running it");
        }
        try {
            if (!membership.awaitReady(config.joinTimeout())) {
                links.leave("a node never booted");
                throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                        + ": not every node booted within " + config.joinTimeout().toSeconds() + " s of this one");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + config.id()
                    + ": interrupted while waiting for the others to boot");
        }
        mk.run(limit);
        links.leave("its run ended");
    }

    /** Links closed because of what a peer sent, since start. */
    public long refusals() {
        return links.refusals();
    }

    /** The latest such reason (it names the peer), or null. */
    public String lastRefusal() {
        return links.lastRefusal();
    }

    /** The address this node listens on (its port, when it was asked for port 0). */
    public InetSocketAddress localAddress() {
        return links.localAddress();
    }

    /**
     * The peer this node lost while it ran, as the failure to report (cause {@link NodeException.Cause#PEER_LOST},
     * naming the peer and why), or null when every peer that went said goodbye. A node that loses a peer stops its
     * run within {@link #DETECTION_BOUND}; the owner checks this after {@link #run} to tell a lost peer from an
     * ordinary end.
     */
    public NodeException peerLost() {
        return membership.peerLost();
    }

    /** Monitor messages dropped because the node of the core they were for had gone, since start. */
    public long droppedMessages() {
        return channels.dropped();
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
    public Path channelDirectory() {
        return binds.channelDirectory();
    }

    // ---- Internode: NodeChannels is the kernel's view of the other nodes ------------------------------------------

    @Override
    public boolean isLocal(int core) {
        return channels.isLocal(core);
    }

    /** See {@link NodeChannels#outbound}: messages for a node that has gone are counted in {@link #droppedMessages}. */
    @Override
    public Channel outbound(int core, int remoteCore) {
        return channels.outbound(core, remoteCore);
    }

    @Override
    public Channel inbox(int core) {
        return channels.inbox(core);
    }

    @Override
    public Endpoint endpoint(int core) {
        return channels.endpoint(core);
    }

    @Override
    public boolean sameHost(int core) {
        return channels.sameHost(core);
    }

    @Override
    public UrpcOffer offerUrpc(int core, int slots) throws IOException {
        return channels.offerUrpc(core, slots);
    }

    @Override
    public String checkUrpcFile(int core, String file) {
        return channels.checkUrpcFile(core, file);
    }

    @Override
    public CompletableFuture<Channel> attachUrpc(int core, String file) {
        return channels.attachUrpc(core, file);
    }

    @Override
    public BindListener listen(int core, Consumer<Channel> accepted) throws IOException {
        return channels.listen(core, accepted);
    }

    @Override
    public CompletableFuture<Channel> connect(int core, String toHost, int port, long token) {
        return channels.connect(core, toHost, port, token);
    }

    @Override
    public String describe(int core) {
        return channels.describe(core);
    }

    @Override
    public void stopAll() {
        channels.stopAll();
    }

    // ---- leaving -------------------------------------------------------------------------------------------------

    /** Leaves the cluster if still in it, closes every link and the listener, and stops the pump. */
    @Override
    public void close() {
        if (membership.stage().agreed) {
            links.leave("it closed");
        }
        links.close();
        Multikernel k = cores.kernel();
        if (k != null) {
            k.close();
        }
        net.close();
        binds.close();
    }

    @Override
    public String toString() {
        return "node " + config.id() + " (cores " + config.firstCore() + "-" + config.lastCore() + ")";
    }
}
