package io.flotilla.kernel.node;

import io.flotilla.channel.Channel;
import io.flotilla.channel.Endpoint;
import io.flotilla.kernel.Internode;
import io.flotilla.kernel.node.MemberTable.Member;
import io.flotilla.kernel.node.membership.MembershipStub;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the kernel sees of the other nodes ({@link Internode}): a channel per pair of cores for monitor messages to a
 * core elsewhere, which queues each message whole on the link to that core's node; each local core's inbox; the
 * endpoint that tells the transport selector where a core runs (nodes of one host are one machine to it); and the
 * channels of binds and swaps between nodes ({@link BindChannels}: one-bind net listeners, urpc channel files handed
 * to nodes of the same host). Used once the membership is agreed.
 */
final class NodeChannels implements Internode {

    private final NodeConfig config;
    private final Membership<PeerLink> membership;
    private final PeerLinks links;
    private final LocalCores cores;
    private final BindChannels binds;
    private final AtomicLong dropped = new AtomicLong();

    NodeChannels(NodeConfig config, Membership<PeerLink> membership, PeerLinks links, LocalCores cores,
            BindChannels binds) {
        this.config = config;
        this.membership = membership;
        this.links = links;
        this.cores = cores;
        this.binds = binds;
    }

    @Override
    public boolean isLocal(int core) {
        return cores.runs(core);
    }

    /**
     * A channel that carries {@code core}'s monitor messages to the monitor of {@code remoteCore}: each message,
     * once its last frame is written, goes to the link of {@code remoteCore}'s node as one unit behind its route
     * frame. Messages for a node that has gone are dropped (counted in {@link #dropped}).
     */
    @Override
    public Channel outbound(int core, int remoteCore) {
        if (!isLocal(core)) {
            throw new IllegalArgumentException("core " + core + " does not run on " + this);
        }
        Member m = membership.owner(remoteCore);
        if (m == null || m.node() == config.id()) {
            throw new IllegalArgumentException("core " + remoteCore + " runs on no other node of " + this);
        }
        int node = m.node();
        return new RoutedSender(core, remoteCore, unit -> send(node, remoteCore, unit));
    }

    private void send(int node, int toCore, long[] unit) {
        if (!links.send(node, unit)) {
            dropped.incrementAndGet();
            Node.LOG.log(Level.DEBUG, () -> "node " + config.id() + ": dropping a monitor message for core " + toCore
                    + ": node " + node + " has gone");
        }
    }

    @Override
    public Channel inbox(int core) {
        if (!isLocal(core)) {
            throw new IllegalArgumentException("core " + core + " does not run on " + this);
        }
        return cores.inbox(core);
    }

    /** Monitor messages dropped because the node of the core they were for had gone, since start. */
    long dropped() {
        return dropped.get();
    }

    @Override
    public Endpoint endpoint(int core) {
        Member m = membership.owner(core);
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
        Member m = membership.owner(core);
        return m != null && sameHost(m);
    }

    private boolean sameHost(Member m) {
        return !config.hostId().isEmpty() && config.hostId().equals(m.hostId());
    }

    @Override
    public String describe(int core) {
        Member m = membership.owner(core);
        return m == null ? "core " + core + " (no node runs it)"
                : "core " + core + " (node " + m.node() + " at " + config.address(m.node()) + ")";
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

    /** A dispatcher stopped the multikernel: every other node stops too (STOP). */
    @Override
    public void stopAll() {
        links.sayToAll(MembershipStub::stop);
    }

    @Override
    public String toString() {
        return "node " + config.id() + " (cores " + config.firstCore() + "-" + config.lastCore() + ")";
    }
}
