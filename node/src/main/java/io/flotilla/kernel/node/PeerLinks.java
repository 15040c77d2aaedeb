package io.flotilla.kernel.node;

import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.node.membership.MembershipStub;
import io.flotilla.transport.net.NetChannel;
import io.flotilla.transport.net.NetHandshakeException;
import io.flotilla.transport.net.NetRefusal;
import io.flotilla.transport.net.NetServer;
import io.flotilla.transport.net.NetTransport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The links between this node and its peers, and the one pump thread that owns them. Each pair of nodes has exactly
 * one link: a node listens on its address and dials every node with a lower id. The pump writes what is queued,
 * reads and checks what arrives ({@link RouteCheck}) and hands it on whole: monitor messages to their core's inbox,
 * membership messages to the {@link Membership}. A peer that breaks the link protocol loses its link, with one
 * WARNING line naming it, and the node carries on; a link the net transport gives up on (the peer died, or went
 * silent past its heartbeats and redials: {@link LinkConfig}) is reported to the membership as a lost peer.
 */
final class PeerLinks {

    /** How long this node's LEAVE, and then its links' goodbyes at the close, may take to go out. */
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(2);

    private static final int SPINS = 100;
    private static final long PARK_NANOS = 200_000;
    /** Routed messages read from one link per pump turn at most, so that one busy peer cannot starve the others. */
    private static final int READ_TURNS = 32;

    private final NodeConfig config;
    private final int self;
    private final Membership<PeerLink> membership;
    private final LocalCores cores;
    private final Refusals refusals;
    private final byte[] secret;
    private final NetTransport net;
    private final NetServer server;
    private final Consumer<MembershipStub> hello;
    /** The addresses each node's host name in --peers resolves to, looked up once at the start (not on a loop). */
    private final List<List<InetAddress>> peerHosts = new ArrayList<>();

    private final ConcurrentLinkedQueue<PeerLink> arriving = new ConcurrentLinkedQueue<>();
    private final List<PeerLink> live = new ArrayList<>(); // pump thread only
    private final Thread pump;
    private volatile boolean running = true;
    /** The link the pump is reading, for the route policy of its RouteCheck (pump thread). */
    private PeerLink reading;

    /**
     * Listens on this node's address, on {@code net}.
     *
     * @param hello says this node's HELLO
     * @throws IOException if it cannot listen there
     */
    PeerLinks(NodeConfig config, Membership<PeerLink> membership, LocalCores cores, Refusals refusals,
            NetTransport net, Consumer<MembershipStub> hello) throws IOException {
        this.config = config;
        this.self = config.id();
        this.membership = membership;
        this.cores = cores;
        this.refusals = refusals;
        this.secret = config.secret();
        this.net = net;
        this.hello = hello;
        for (InetSocketAddress peer : config.peers()) {
            List<InetAddress> addresses;
            try {
                addresses = List.of(InetAddress.getAllByName(peer.getHostString()));
            } catch (UnknownHostException e) {
                addresses = List.of(); // dialling it will say so; a refusal from it cannot be matched meanwhile
            }
            peerHosts.add(addresses);
        }
        InetSocketAddress listen = new InetSocketAddress(config.self().getHostString(), config.listenPort());
        try {
            this.server = net.listen(listen, LinkConfig.of(secret), channel -> {
                arriving.add(link(channel, -1));
                wake();
            });
        } catch (IOException e) {
            throw new IOException("node " + self + " cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        server.onRefusal(this::handshakeRefused);
        this.pump = new Thread(this::pump, "flotilla-node-" + self);
        pump.setDaemon(true);
    }

    void start() {
        pump.start();
    }

    /** Dials node {@code peer}, retrying while nobody listens there yet; a refused handshake is final. */
    void dial(int peer, long deadline) {
        InetSocketAddress at = config.peers().get(peer);
        String where = config.address(peer);
        String last = "no attempt";
        while (System.nanoTime() < deadline && membership.joinFailure() == null) {
            try {
                NetChannel channel = net.connect(new InetSocketAddress(at.getHostString(), at.getPort()),
                        LinkConfig.of(secret));
                PeerLink link = link(channel, peer);
                link.sayHello();
                arriving.add(link);
                wake();
                return;
            } catch (NetHandshakeException e) {
                String hint = e.refusal() == NetRefusal.AUTHENTICATION
                        ? "; every node must use the same cluster secret (--secret-file)" : "";
                throw new NodeException(NodeException.Cause.REFUSED, "node " + self
                        + ": the handshake with node " + peer + " at " + where + " failed: " + e.getMessage() + hint);
            } catch (IOException e) {
                last = e.getMessage();
                LockSupport.parkNanos(100_000_000L);
            }
        }
        NodeException failed = membership.joinFailure();
        if (failed != null) {
            throw failed;
        }
        throw new NodeException(NodeException.Cause.UNREACHABLE, "node " + self + ": cannot reach node " + peer
                + " at " + where + " within " + config.joinTimeout().toSeconds() + " s: " + last);
    }

    /** A link to a peer, whose membership messages the membership hears. */
    private PeerLink link(NetChannel channel, int expected) {
        PeerLink l = new PeerLink(channel, expected, config.machine().coreCount(), this::routeRefusal, hello);
        l.hear(new LinkMembership<>(membership, l));
        return l;
    }

    /**
     * The listener refused a handshake, or a dialler refused this node's: when that was for the cluster secret,
     * from the host of a node that has not joined yet, the join fails now, saying so, instead of at its timeout.
     * (An outsider on that host can make a join fail this way; it could not make it succeed.)
     */
    private void handshakeRefused(InetSocketAddress from, NetRefusal why) {
        if (membership.stage().agreed || why != NetRefusal.AUTHENTICATION && why != NetRefusal.PROTOCOL_VERSION
                && why != NetRefusal.INTERFACE) {
            return;
        }
        for (int n = self + 1; n < config.nodes(); n++) {
            if (membership.link(n) == null && peerHosts.get(n).contains(from.getAddress())) {
                String what = why == NetRefusal.AUTHENTICATION
                        ? "does not have this node's cluster secret; every node must use the same --secret-file"
                        : "speaks another version of the links between nodes (" + why + "); run one Flotilla "
                                + "version on every node";
                membership.fail(NodeException.Cause.REFUSED, "node " + self + ": the node that dialled from " + from
                        + " (node " + n + " at " + config.address(n) + "?) " + what);
                return;
            }
        }
    }

    // ---- sending -------------------------------------------------------------------------------------------------

    /** Queues one routed unit for node {@code node}: false if that node has gone. Any thread. */
    boolean send(int node, long[] unit) {
        PeerLink l = membership.link(node);
        if (l == null || l.closed) {
            return false;
        }
        l.enqueue(unit);
        wake();
        return true;
    }

    /** Says {@code message} to every peer whose link is open. Any thread. */
    void sayToAll(Consumer<MembershipStub> message) {
        for (int n = 0; n < config.nodes(); n++) {
            PeerLink l = membership.link(n);
            if (l != null && !l.closed) {
                l.say(message);
            }
        }
        wake();
    }

    /** Tells every peer this node is leaving and waits (briefly) until that has been written. */
    void leave(String why) {
        if (!membership.leaving()) {
            return;
        }
        List<PeerLink> open = new ArrayList<>();
        String reason = Text.clip(why, 1024);
        for (int n = 0; n < config.nodes(); n++) {
            PeerLink l = membership.link(n);
            if (l != null && !l.closed) {
                l.say(stub -> stub.leave(reason));
                open.add(l);
            }
        }
        wake();
        long deadline = System.nanoTime() + GOODBYE_WAIT.toNanos();
        for (PeerLink l : open) {
            while (!l.drained() && !l.closed && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    // ---- the pump ------------------------------------------------------------------------------------------------

    void wake() {
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
            work += cores.pumpTurn();
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
     * it goes whole to its core's inbox, or to the membership. A message whose inbox is full stays staged, and the
     * link is not read further until it fits (the peer's sends back up behind it).
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
        CoreInbox inbox = cores.inboxOf(in.to());
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
        if (l.node < 0 || !membership.viewed(l.node)) {
            return "a monitor message before the membership was agreed";
        }
        if (!membership.member(l.node).runs(from)) {
            return "a message on behalf of core " + from + ", which node " + l.node + " does not run";
        }
        if (!cores.runs(to)) {
            return "a message for core " + to + ", which node " + self + " does not run";
        }
        return null;
    }

    /** Closes {@code l} because of what its peer sent. */
    private void refuse(PeerLink l, String reason) {
        String line = "node " + self + ": closing the link with " + l.peer() + ": " + Text.line(reason, 300);
        refusals.add(line);
        Node.LOG.log(Level.WARNING, line);
        l.closed = true;
        l.channel.close();
        if (l.node >= 0 && membership.link(l.node) == l) {
            membership.gone(l.node, l.peer() + " broke the link protocol (" + Text.line(reason, 300) + ")", false);
        }
    }

    private void lost(PeerLink l, String why) {
        l.closed = true;
        if (l.node >= 0 && membership.link(l.node) == l) {
            // Not logged as a warning: a loss during the run is the node's failure, which its owner reports once
            // (peerLost()); a loss after this node left is no failure at all.
            Node.LOG.log(Level.DEBUG, () -> "node " + self + ": the link with " + l.peer() + " closed: " + why);
            membership.gone(l.node, "the link with " + l.peer() + " closed: " + Text.line(why, 300), false);
        }
    }

    // ---- closing -------------------------------------------------------------------------------------------------

    /** Stops the pump and closes every link gracefully; the transport is its owner's to close after this. */
    void close() {
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
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
                    .get(GOODBYE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Node.LOG.log(Level.DEBUG, () -> "node " + self + ": not every link closed in order: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Links closed because of what a peer sent, with the listener's own refusals of garbage below this layer. */
    long refusals() {
        return refusals.count() + server.refusals();
    }

    /** The latest such reason (it names the peer), or null. */
    String lastRefusal() {
        String mine = refusals.last();
        return mine != null ? mine : server.lastRefusal();
    }

    InetSocketAddress localAddress() {
        return server.localAddress();
    }
}
