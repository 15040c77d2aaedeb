package io.flotilla.kernel.node;

import io.flotilla.kernel.node.MemberTable.Member;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The join protocol of {@code membership.if} as one node runs it: a state machine over the node's {@link Stage} and
 * each peer's {@link PeerStates.State}, fed the messages its peers send (decoded by {@link LinkMembership}) and what
 * happens to their links.
 *
 * <p><b>The node's stages.</b> Each transition is made in the method named beside it. A transition the table does not
 * list is a bug of this node and throws {@link IllegalStateException}, with one exception: FAILED absorbs every later
 * event (a failure noticed on another thread may overtake the pump's next step), and its first reason stays.
 *
 * <pre>
 * stage               event                                                     next     method
 * JOINING             a HELLO that fits, nodes still missing                    JOINING  hello
 * JOINING             the last HELLO; the cores cover 0..n-1                    SEALED   seal: VIEW to every peer
 * JOINING             this node is the only one (it runs cores from 0)          AGREED   alone, then READY
 * SEALED              every peer's VIEW is in, each equal to this node's        AGREED   agreeIfViewed: start() returns
 * JOINING, SEALED     a mismatch (told to the peer as LEAVE), a gap in the      FAILED   fail: the first reason and its
 *                     cores, another digest, a refused handshake, a peer that            cause are kept; start() throws
 *                     left or was lost
 * AGREED              every peer READY (it may say so while this node is        READY    readyIfAll: runs start together
 *                     SEALED) or gone
 * AGREED, READY, LOST a peer lost: its link broke or it broke the protocol      LOST     gone: peerLost() keeps the first;
 *                                                                                        the run stops (fail-stop)
 * AGREED, READY, LOST this node leaves: its run ended, or it closes             LEFT     leaving
 * agreed (any)        a HELLO: a node that restarted cannot rejoin              same     hello: refused with LEAVE
 * </pre>
 *
 * <p><b>Each peer's state</b> ({@link PeerStates}) says what its link may carry next; a message in the wrong state
 * is the peer's fault ({@link PeerProtocolException}), and the pump closes that link with one line naming the peer.
 *
 * <p><b>Threads.</b> The messages heard and {@link #gone} run on the pump thread, which owns the table and the peers'
 * states while joining; anyone reads them once {@link #awaitJoined} has returned (the latch orders). {@link #fail}
 * runs on any thread, {@link #alone} on the starting one, {@link #leaving} on the running one: the stage is volatile
 * and every transition is made under this object's lock.
 *
 * @param <L> the links to the peers ({@link PeerLink} on a node; a recording fake in tests)
 */
final class Membership<L extends MembershipLink> {

    /** The node's stage in the join protocol (see the class comment's table). */
    enum Stage {
        JOINING(false), SEALED(false), FAILED(false), AGREED(true), READY(true), LOST(true), LEFT(true);

        /** Whether the membership was agreed: it is fixed from then on. */
        final boolean agreed;

        Stage(boolean agreed) {
            this.agreed = agreed;
        }
    }

    /** How long a failed join waits for the LEAVEs that say why to reach the peers (see {@link #failOn}). */
    static final Duration FAREWELL_WAIT = Duration.ofSeconds(2);

    private final NodeConfig config;
    private final int self;
    private final Refusals refusals;
    private final MembershipRun run;

    // Written by the pump thread while joining, read by anyone once joined has counted down (which orders).
    private final MemberTable members;
    private int coreCount;
    private long digest;
    private final PeerStates<L> peers;

    private volatile Stage stage = Stage.JOINING;
    private volatile NodeException joinFailure;
    /** The first peer lost after the agreement (its link broke, or it broke the protocol), and why; or null. */
    private volatile NodeException lost;
    private final CountDownLatch joined = new CountDownLatch(1);
    private final CountDownLatch ready;
    /**
     * Links closed by {@link #failOn}, whose LEAVE saying why must reach the peer before this node's transport shuts
     * down: closing the transport aborts a closing link at once, and the peer, never told, then waited out its join
     * timeout ("no agreement yet") instead of failing with the reason (seen in CI, about one run in five).
     */
    private final ConcurrentLinkedQueue<CompletableFuture<?>> farewells = new ConcurrentLinkedQueue<>();

    Membership(NodeConfig config, long pid, Refusals refusals, MembershipRun run) {
        this.config = config;
        this.self = config.id();
        this.refusals = refusals;
        this.run = run;
        int nodes = config.nodes();
        this.members = new MemberTable(config.machine(), nodes, new Member(self, config.firstCore(),
                config.lastCore(), pid, config.self().getHostString(), config.hostId()));
        this.peers = new PeerStates<>(self, nodes);
        this.ready = new CountDownLatch(nodes - 1);
    }

    // ---- what a peer says ----------------------------------------------------------------------------------------

    /** HELLO from the peer on {@code l}, which has not said who it is yet (pump thread). */
    void hello(L l, Hello h) {
        if (stage.agreed) {
            // A node that restarted, or one started late: the membership is fixed at the join (every core's
            // monitor has its peers' state), so it cannot take a place in it. Say why, so it fails at once.
            String why = "node " + self + " is in a multikernel whose membership was agreed already; node "
                    + h.node() + " cannot rejoin it: stop every node and start them all again";
            String line = "node " + self + ": refusing " + l.peer() + ": HELLO from node " + h.node()
                    + " after the membership was agreed";
            refusals.add(line);
            Node.LOG.log(Level.WARNING, line);
            l.refuse(Text.clip(why, 1024));
            return;
        }
        String who = "node " + h.node() + " (" + l.remote() + ")";
        if (l.dialled() >= 0 && h.node() != l.dialled()) {
            failOn(l, "node " + self + ": the node at " + config.address(l.dialled()) + " says it is node "
                    + h.node() + ", but --peers lists it as node " + l.dialled());
            return;
        }
        if (l.dialled() < 0 && (h.node() <= self || h.node() >= config.nodes())) {
            throw new PeerProtocolException("HELLO from node " + h.node() + ", but only nodes " + (self + 1) + ".."
                    + (config.nodes() - 1) + " dial node " + self);
        }
        if (l.dialled() < 0 && peers.link(h.node()) != null) {
            throw new PeerProtocolException("HELLO from node " + h.node() + ", which is connected already");
        }
        String mismatch = members.mismatch(h, who);
        if (mismatch != null) {
            failOn(l, mismatch);
            return;
        }
        members.add(h);
        peers.introduce(h.node(), l);
        if (l.dialled() < 0) {
            l.sayHello();
        }
        Node.LOG.log(Level.DEBUG, () -> "node " + self + ": " + who + " runs cores " + h.firstCore() + "-"
                + h.lastCore());
        if (members.complete()) {
            seal();
        }
    }

    /** Every HELLO is in: check the ranges cover 0..n-1 and send each peer the digest of the table. */
    private void seal() {
        String gap = members.gap();
        if (gap != null) {
            fail(NodeException.Cause.CONFIGURATION, "node " + self + ": " + gap);
            return;
        }
        coreCount = members.coveredFromZero();
        digest = members.digest();
        if (!advance(Stage.JOINING, Stage.SEALED)) {
            return;
        }
        for (int n = 0; n < peers.nodes(); n++) {
            L l = peers.link(n);
            if (l != null) {
                l.sayView(digest);
            }
        }
        for (int n = 0; n < peers.nodes(); n++) {
            if (peers.viewed(n) && !sameView(n)) {
                return;
            }
        }
        agreeIfViewed();
    }

    /** VIEW from node {@code n}. */
    void view(int n, long viewDigest) {
        peers.view(n, viewDigest);
        if (stage == Stage.SEALED && sameView(n)) { // before the seal, the seal checks it
            agreeIfViewed();
        }
    }

    private boolean sameView(int n) {
        if (peers.view(n) == digest) {
            return true;
        }
        fail(NodeException.Cause.CONFIGURATION, "node " + self + ": " + peers.link(n).peer()
                + " agreed to another membership (digest " + Long.toHexString(peers.view(n)) + ", this node's "
                + Long.toHexString(digest) + ")");
        return false;
    }

    private void agreeIfViewed() {
        if (!peers.allViewed() || !advance(Stage.SEALED, Stage.AGREED)) {
            return;
        }
        Node.LOG.log(Level.INFO, "node " + self + ": joined " + config.nodes() + " nodes running cores 0.."
                + (coreCount - 1) + " of " + config.machine().name());
        joined.countDown();
        readyIfAll(); // peers may have said READY already
    }

    /** READY from node {@code n}: it has booted. */
    void ready(int n) {
        // A peer that is READY has agreed, so it has this node's VIEW: this node is SEALED at least. With three nodes
        // or more, its READY may overtake the VIEW of a third node on another link; this node agrees when that comes.
        Stage now = stage;
        peers.ready(n, now == Stage.SEALED || now.agreed);
        readyOrGone();
    }

    private void readyOrGone() {
        ready.countDown();
        readyIfAll();
    }

    /** AGREED -> READY once no peer is left to wait for; in any other stage, nothing (the stage says more). */
    private synchronized void readyIfAll() {
        if (ready.getCount() == 0 && stage == Stage.AGREED) {
            stage = Stage.READY;
        }
    }

    /** STOP from a peer: its dispatcher stopped the multikernel. */
    void stop() {
        run.stopAsked();
    }

    /** LEAVE from the peer on {@code l}: it leaves in order, and says why. */
    void leave(L l, String reason) {
        int n = l.node() >= 0 ? l.node() : l.dialled();
        String why = Text.line(reason, 300);
        Node.LOG.log(Level.INFO, "node " + self + ": " + l.peer() + " left: " + why);
        l.closeAfterLeave();
        if (n >= 0) {
            gone(n, l.peer() + " left (" + why + ")", true);
        }
    }

    /** As {@link #fail}, and tells the peer on {@code l} why before closing the link, so that it fails too. */
    private void failOn(L l, String why) {
        farewells.add(l.refuse(Text.clip(why, 1024)));
        fail(NodeException.Cause.CONFIGURATION, why);
    }

    // ---- what happens to the node --------------------------------------------------------------------------------

    /**
     * Node {@code n} is no longer reachable: its cores' pending requests fail. When it left in order ({@code orderly}:
     * it said LEAVE) the run goes on while other peers remain; when it was lost (its link broke or went silent, or it
     * broke the protocol) the multikernel is missing cores nobody said goodbye for, so this node records the loss
     * as its failure ({@link #peerLost()}) and stops, like every other node that loses it: fail-stop, within
     * {@link Node#DETECTION_BOUND}. Pump thread.
     */
    void gone(int n, String why, boolean orderly) {
        PeerStates.State was = peers.gone(n);
        if (was == PeerStates.State.GONE) {
            return;
        }
        if (was != PeerStates.State.READY) {
            readyOrGone(); // nobody waits for a node that has gone
        }
        if (!stage.agreed) {
            // A peer that says LEAVE before the membership is agreed refuses this node, and says why.
            fail(orderly ? NodeException.Cause.REFUSED : NodeException.Cause.PEER_LOST,
                    "node " + self + ": " + why + " before the membership was agreed");
            return;
        }
        Member m = members.get(n);
        boolean failStop = !orderly && lose(m, why);
        run.coresLost(m.firstCore(), m.lastCore(), Text.clip(why, 1023));
        if (failStop || peers.allGone()) {
            run.stopOnceHandled(lost != null);
        }
    }

    /** A peer was lost: whether that stops this node (not once it has left: then a loss is no failure). */
    private synchronized boolean lose(Member m, String why) {
        switch (stage) {
            case AGREED, READY -> {
                lost = new NodeException(NodeException.Cause.PEER_LOST, "node " + self + ": lost node " + m.node()
                        + " at " + config.address(m.node()) + " (cores " + m.firstCore() + "-" + m.lastCore()
                        + "): " + why);
                stage = Stage.LOST;
                return true;
            }
            case LOST -> {
                return true; // the first loss stays the reason
            }
            case LEFT -> {
                return false;
            }
            default -> throw new IllegalStateException("node " + self + ": a peer lost in stage " + stage);
        }
    }

    /**
     * The join fails with {@code why}, a failure of kind {@code cause}; any thread. The first reason stays (later ones
     * are its consequences); once the membership is agreed it stands, and this does nothing.
     */
    void fail(NodeException.Cause cause, String why) {
        synchronized (this) {
            if (stage == Stage.JOINING || stage == Stage.SEALED) {
                joinFailure = new NodeException(cause, why);
                stage = Stage.FAILED;
                // Not logged as an error: start() throws it to the owner, who reports it once.
                Node.LOG.log(Level.DEBUG, why);
            }
        }
        joined.countDown();
    }

    /** This node is the only one: the membership is itself (starting thread). */
    void alone() {
        if (config.firstCore() != 0) {
            throw new NodeException("node " + self + " is the only node, so it must run cores from 0, not "
                    + config.firstCore() + "-" + config.lastCore());
        }
        coreCount = config.lastCore() + 1;
        digest = members.digest();
        if (advance(Stage.JOINING, Stage.AGREED)) {
            joined.countDown();
            readyIfAll(); // no peer to wait for
        }
    }

    /** This node leaves the cluster: false if it has left already. */
    synchronized boolean leaving() {
        switch (stage) {
            case AGREED, READY, LOST -> {
                stage = Stage.LEFT;
                return true;
            }
            case LEFT -> {
                return false;
            }
            default -> throw new IllegalStateException("node " + self + " cannot leave in stage " + stage);
        }
    }

    /** Moves from {@code from} to {@code to}: false if a failure came first, which absorbs every later event. */
    private synchronized boolean advance(Stage from, Stage to) {
        if (stage == from) {
            stage = to;
            return true;
        }
        if (stage == Stage.FAILED) {
            return false;
        }
        throw new IllegalStateException("node " + self + ": " + from + " -> " + to + " in stage " + stage);
    }

    // ---- waiting and asking --------------------------------------------------------------------------------------

    /** Waits until the membership is agreed or the join has failed, at most until {@code deadline} (nanoTime). */
    boolean awaitJoined(long deadline) throws InterruptedException {
        return joined.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Waits until every peer is READY or gone, at most {@code timeout}. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits, at most {@link #FAREWELL_WAIT} in all, for the links closed with a reason to finish closing. */
    void awaitFarewells() {
        long deadline = System.nanoTime() + FAREWELL_WAIT.toNanos();
        for (CompletableFuture<?> f; (f = farewells.poll()) != null; ) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return; // told or not, the join has failed; the peer's own timeout remains its backstop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    Stage stage() {
        return stage;
    }

    /** Why the join failed, or null. */
    NodeException joinFailure() {
        return joinFailure;
    }

    /** The first peer lost after the agreement, as the failure to report, or null. */
    NodeException peerLost() {
        return lost;
    }

    /** Cores of the whole multikernel, once sealed. */
    int coreCount() {
        return coreCount;
    }

    /** The node that runs {@code core}, or null. */
    Member owner(int core) {
        return members.owner(core);
    }

    /** Node {@code n}'s entry, or null before its HELLO. */
    Member member(int n) {
        return members.get(n);
    }

    /** Node {@code n}'s link once its HELLO was accepted, else null. Any thread. */
    L link(int n) {
        return peers.link(n);
    }

    /** Whether node {@code n} has sent its VIEW (and may now speak for its cores). */
    boolean viewed(int n) {
        return peers.viewed(n);
    }

    /** The peers whose VIEW has not arrived: the nodes this one has no agreement with yet. */
    List<Integer> notViewed() {
        return peers.notViewed();
    }
}
