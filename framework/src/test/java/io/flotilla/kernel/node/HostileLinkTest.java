package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.PingPong;
import io.flotilla.kernel.intermon.Intermon;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real node 0 (core 0, with a ping server) and a hand-played node 1 (core 1) that joins properly and then sends
 * what it likes. Well-formed routed messages reach core 0's monitor and are answered; every hostile unit closes the
 * link with one line that names node 1, and nothing of it reaches a monitor (no core fails).
 */
class HostileLinkTest {

    /** Runs node 0 with {@code peer} joined as node 1, lets {@code play} act, and returns node 0 after its run. */
    private static Node withPeer(Consumer<FakePeer> play, List<Throwable> failures) throws Exception {
        int[] ports = MultiNodeTest.freePorts(2);
        List<InetSocketAddress> peers = NodeConfig.parsePeers("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
        CompletableFuture<Node> started = Async.supply(() -> Node.start(new NodeConfig(0, peers,
                ports[0], MultiNodeTest.SECRET, MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(10))));
        try (FakePeer peer = new FakePeer(ports[0], MultiNodeTest.SECRET)) {
            peer.join(1, 1, MultiNodeTest.AMD.name());
            try (Node node = started.get(10, TimeUnit.SECONDS)) {
                Multikernel mk = node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 5),
                        b -> b.dispatcher(0, new PingPong.Server("ping")).out(null));
                CompletableFuture<Void> run = Async.run(() -> node.run(Duration.ofSeconds(8)));
                peer.membership().ready();
                play.accept(peer);
                peer.channel.close(); // the link breaks: node 0, alone now, ends its run
                run.get(15, TimeUnit.SECONDS);
                failures.addAll(mk.failures().stream().map(f -> (Throwable) new AssertionError(f.toString()))
                        .toList());
                return node;
            }
        }
    }

    private static long[] frame(long control, long... words) {
        long[] f = new long[Frame.WORDS];
        System.arraycopy(words, 0, f, 0, words.length);
        f[Frame.PAYLOAD_WORDS] = control;
        return f;
    }

    private static long[] route(int from, int to, int frames) {
        return frame(ControlWord.of(InternodeRoute.MESSAGE, 0, true, 0), from, to, frames);
    }

    private static long[] body(boolean last) {
        return frame(ControlWord.of(Intermon.RESOLVED, 0, last, 0), 7, 1);
    }

    @Test
    @Timeout(30)
    void aRoutedMessageReachesTheMonitorAndItsAnswerComesBackRouted() throws Exception {
        var failures = new java.util.ArrayList<Throwable>();
        Node node = withPeer(peer -> {
            peer.monitor(1, 0).resolve(7, 1, "ping");
            peer.awaitTrue(() -> !peer.heard.isEmpty(), "answer from core 0");
            assertThat(peer.heard.get(0)).isEqualTo(new FakePeer.Heard(0, 1, 1, Intermon.RESOLVED));
        }, failures);
        assertThat(failures).isEmpty();
        assertThat(node.refusals()).isZero();
    }

    /** One hostile unit per case, and the words of the refusal that must name it. */
    record Attack(String name, long[][] frames, String reason) {}

    static final List<Attack> ATTACKS = List.of(
            new Attack("forged route: speaks for node 0's own core", new long[][] {route(0, 0, 1), body(true)},
                    "on behalf of core 0, which node 1 does not run"),
            new Attack("route to a core node 0 does not run", new long[][] {route(1, 1, 1), body(true)},
                    "for core 1, which node 0 does not run"),
            new Attack("forged node runtime (a cores_lost of its own)", new long[][] {route(-1, 0, 1), body(true)},
                    "from the node runtime to core 0"),
            new Attack("core to the node runtime", new long[][] {route(1, -1, 1), body(true)},
                    "from core 1 to the node runtime"),
            new Attack("fewer frames than announced", new long[][] {route(1, 0, 2), body(true), body(true)},
                    "the last bit on frame 1 of a 2-frame message"),
            new Attack("more frames than announced", new long[][] {route(1, 0, 1), body(false), body(true)},
                    "no last bit on frame 1 of a 1-frame message"),
            new Attack("a route inside a message", new long[][] {route(1, 0, 2), body(false), route(1, 0, 1)},
                    "a route frame at frame 2"),
            new Attack("oversized message", new long[][] {route(1, 0, InternodeRoute.MAX_FRAMES + 1), body(true)},
                    "route announces 65 frames"),
            new Attack("junk words where a route must be", new long[][] {frame(ControlWord.of(3, 0, true, 0),
                    0xDEAD_BEEFL, -1L)}, "not a route frame"),
            new Attack("junk in a route's spare words", new long[][] {frame(ControlWord.of(InternodeRoute.MESSAGE,
                    0, true, 0), 1, 0, 1, 0, 0, 42)}, "word 5 is not 0"));

    @Test
    @Timeout(120)
    void everyHostileUnitClosesTheLinkWithOneLineNamingThePeerAndReachesNoMonitor() throws Exception {
        for (Attack a : ATTACKS) {
            var failures = new java.util.ArrayList<Throwable>();
            Node node = withPeer(peer -> {
                for (long[] f : a.frames()) {
                    peer.write(f);
                }
                peer.awaitClosed();
            }, failures);
            assertThat(failures).as(a.name()).isEmpty();
            assertThat(node.refusals()).as(a.name()).isEqualTo(1);
            assertThat(node.lastRefusal()).as(a.name())
                    .startsWith("node 0: closing the link with node 1 (")
                    .contains(a.reason())
                    .doesNotContain("\n")
                    .doesNotContain("Exception");
        }
    }

    /** A HELLO whose fields a node must not believe, and the words of its refusal. */
    record BadHello(int node, int nodes, int firstCore, int lastCore, String topology, String host, String hostId,
            String reason) {}

    @Test
    @Timeout(30)
    void helloFieldsAreCheckedBeforeTheyAreBelievedEachRefusalNamingThePeer() throws Exception {
        List<BadHello> bad = List.of(
                new BadHello(1, 2, 1, 1, "amd-8x4", "127.0.0.1", "boot\u0007id", "host identity has a control"),
                new BadHello(1, 2, 1, 1, "amd-8x4", "127.0.0.1\n", "", "host has a control character"),
                new BadHello(1, 2, 1, 1, "", "127.0.0.1", "", "HELLO with an empty topology"),
                new BadHello(2, 2, 1, 1, "amd-8x4", "127.0.0.1", "", "invalid node count: 2"),
                new BadHello(1, 0, 1, 1, "amd-8x4", "127.0.0.1", "", "invalid node count: 0"),
                new BadHello(1, 2, 3, 1, "amd-8x4", "127.0.0.1", "", "invalid core range: 3-1"),
                new BadHello(1, 2, -1, 1, "amd-8x4", "127.0.0.1", "", "invalid core range: 4294967295-1"),
                new BadHello(0xFFFF, 2, 1, 1, "amd-8x4", "127.0.0.1", "", "invalid node id: 65535"));
        int[] ports = MultiNodeTest.freePorts(2);
        List<InetSocketAddress> peers = NodeConfig.parsePeers("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
        CompletableFuture<Node> started = Async.supply(() -> Node.start(new NodeConfig(0, peers,
                ports[0], MultiNodeTest.SECRET, MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(4))));
        for (BadHello h : bad) {
            try (FakePeer peer = new FakePeer(ports[0], MultiNodeTest.SECRET)) {
                peer.membership().hello((short) h.node(), (short) h.nodes(), h.firstCore(), h.lastCore(), 1,
                        h.topology(), h.host(), h.hostId());
                peer.awaitClosed();
            }
        }
        assertThat(started).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingRootCause().isInstanceOf(NodeException.class)
                .withMessageContaining("no agreement yet with node(s) 1")
                .withMessageContaining("last refusal: node 0: closing the link with peer /127.0.0.1:")
                .withMessageContaining(bad.get(bad.size() - 1).reason());
    }

    @Test
    @Timeout(30)
    void aMonitorMessageBeforeTheMembershipIsAgreedIsRefused() throws Exception {
        int[] ports = MultiNodeTest.freePorts(2);
        List<InetSocketAddress> peers = NodeConfig.parsePeers("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
        CompletableFuture<Node> started = Async.supply(() -> Node.start(new NodeConfig(0, peers,
                ports[0], MultiNodeTest.SECRET, MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(2))));
        try (FakePeer peer = new FakePeer(ports[0], MultiNodeTest.SECRET)) {
            peer.membership().hello((short) 1, (short) 2, 1, 1, 1, MultiNodeTest.AMD.name(), "127.0.0.1", "");
            peer.monitor(1, 0).resolve(7, 1, "ping"); // before its VIEW
            peer.awaitClosed();
        }
        assertThat(started).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingRootCause().isInstanceOf(NodeException.class)
                .withMessageContaining("node 1 (/127.0.0.1:")
                .withMessageContaining("broke the link protocol (a monitor message before the membership was agreed)");
    }

    @Test
    @Timeout(30)
    void aNodeOfThePreviousWireVersionIsRefusedInTheHandshake() throws Exception {
        int port = MultiNodeTest.freePorts(1)[0];
        try (Node alone = Node.start(new NodeConfig(0, NodeConfig.parsePeers("127.0.0.1:" + port), port,
                MultiNodeTest.SECRET, MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(5)));
                var net = io.flotilla.transport.net.NetTransport.create(1)) {
            assertThat(alone.coreCount()).isEqualTo(1);
            long previous = 0x464C_4F54_494D_0000L | 2; // the hand-written intermon codec's version
            assertThat(LinkConfig.FINGERPRINT).isNotEqualTo(previous);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.connect(
                    new InetSocketAddress("127.0.0.1", port), io.flotilla.transport.net.NetConfig.builder(
                            MultiNodeTest.SECRET, LinkConfig.INTERFACE, previous).build()))
                    .isInstanceOfSatisfying(io.flotilla.transport.net.NetHandshakeException.class,
                            e -> assertThat(e.refusal()).isEqualTo(io.flotilla.transport.net.NetRefusal.INTERFACE));
        }
    }
}
