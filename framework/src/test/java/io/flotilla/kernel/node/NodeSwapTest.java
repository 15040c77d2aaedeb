package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Multikernel;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * urpc between nodes of one host, and swapping a binding between nodes: net -> urpc -> net while a stream with a
 * window of messages in flight runs both ways, with exact sequence checks at both ends.
 */
class NodeSwapTest {

    static final int TOTAL = 100_000;

    @Test
    @Timeout(90)
    void aBindingBetweenTwoJvmsOfOneHostSwapsBetweenNetAndUrpcWhileStreaming(@TempDir Path dir) throws Exception {
        int[] ports = MultiNodeTest.freePorts(2);
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        Path secretFile = dir.resolve("secret");
        Files.write(secretFile, MultiNodeTest.SECRET);
        Path log = dir.resolve("node1.log");
        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                SwapNodeMain.class.getName(), "1", peers, secretFile.toString(), "1", Integer.toString(TOTAL),
                "urpc", "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            // Binds between nodes of one host stay on net here, so that the swaps start from net.
            NodeConfig config = new NodeConfig(0, NodeConfig.parsePeers(peers), ports[0], MultiNodeTest.SECRET,
                    MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(30)).withSameHostUrpc(false);
            // The client swaps at 20, 40, 60 and 80% of the stream, the server (child) at 50%.
            Stream.Client client = new Stream.Client(TOTAL, 512, "urpc", "net", "urpc", "net");
            try (Node node = Node.start(config)) {
                Multikernel mk = node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 5),
                        b -> b.dispatcher(0, client).out(null));
                node.run(Duration.ofSeconds(60));
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("node 1 exits").isTrue();
                String out = Files.readString(log);
                assertThat(client.failure).as(out).isNull();
                assertThat(child.exitValue()).as(out).isZero();
                assertThat(out).contains("served: " + TOTAL + " of " + TOTAL).contains("server swaps: [urpc]")
                        .contains("rpcs: 4").contains("OK");
                assertThat(client.received).isEqualTo(TOTAL);
                assertThat(client.swapper.errors).isEmpty();
                assertThat(client.swapper.done).containsExactly("urpc", "net", "urpc", "net");
                assertThat(client.rpcsAnswered).as("each rpc sent just before a swap was answered").isEqualTo(4);
                assertThat(mk.failures()).isEmpty();
                // Two of the client's swaps and the server's went to urpc: the child made three files, node 0
                // attached to each (and deleted it).
                assertThat(node.urpcChannelsAttached()).isEqualTo(3);
                assertThat(out).contains("urpc made: 3");
                // The hostile rendezvous frames were refused, each with its reason, and the run went on.
                assertThat(node.refusals()).isEqualTo(4);
                assertThat(node.lastRefusal()).contains("refusing the urpc rendezvous for core 0");
                assertThat(leftoverFiles(node)).isEmpty();
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void onOneHostABindBetweenNodesRunsOverUrpcUnlessNetIsForced() throws Exception {
        try (Pair p = Pair.start("host-x", "host-x", true)) {
            Stream.Client client = new Stream.Client(20_000, 64, "net", "urpc");
            Stream.Server server = new Stream.Server(20_000);
            p.run(client, server);
            assertThat(client.failure).isNull();
            assertThat(server.failure).isNull();
            assertThat(client.received).isEqualTo(20_000);
            assertThat(server.served).isEqualTo(20_000);
            assertThat(client.swapper.done).containsExactly("net", "urpc");
            // The bind itself and the swap back each made one file on the server's node, attached on the client's.
            assertThat(p.server.urpcChannelsMade()).isEqualTo(2);
            assertThat(p.client.urpcChannelsAttached()).isEqualTo(2);
            assertThat(leftoverFiles(p.server)).isEmpty();
        }
        try (Pair p = Pair.start("host-x", "host-x", false)) {
            Stream.Client client = new Stream.Client(5_000, 64);
            Stream.Server server = new Stream.Server(5_000);
            p.run(client, server);
            assertThat(client.failure).isNull();
            assertThat(client.received).isEqualTo(5_000);
            assertThat(p.server.urpcChannelsMade()).as("net forced").isZero();
        }
    }

    @Test
    @Timeout(60)
    void aSwapToUrpcAcrossHostsFailsSayingWhyAndTheBindingGoesOnOverItsChannel() throws Exception {
        try (Pair p = Pair.start("host-a", "host-b", true)) {
            Stream.Client client = new Stream.Client(20_000, 64, "urpc", "net", "lrpc");
            Stream.Server server = new Stream.Server(20_000, "urpc");
            p.run(client, server);
            assertThat(client.failure).isNull();
            assertThat(server.failure).isNull();
            assertThat(client.received).isEqualTo(20_000);
            assertThat(client.swapper.done).containsExactly("net");
            assertThat(client.swapper.errors).satisfiesExactly(
                    e -> assertThat(e).startsWith("urpc: ").contains("run on different hosts")
                            .contains("the binding stays on its channel"),
                    e -> assertThat(e).startsWith("lrpc: ").contains("only net, and urpc between nodes of one host"));
            assertThat(server.swapper.errors).singleElement().satisfies(e -> assertThat(e)
                    .contains("run on different hosts"));
            assertThat(p.server.urpcChannelsMade()).isZero();
            assertThat(client.rpcsAnswered).isEqualTo(3);
        }
    }

    /** Channel files of either test node still in the directory. */
    private static List<Path> leftoverFiles(Node node) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(node.channelDirectory())) {
            return files.filter(f -> f.getFileName().toString().startsWith(ChannelDirectory.PREFIX)
                    && f.getFileName().toString().contains("-" + ProcessHandle.current().pid() + "-")).toList();
        }
    }

    /** Two nodes in this JVM: node 0 (core 0) runs the client, node 1 (core 1) the server. */
    private record Pair(Node client, Node server) implements AutoCloseable {
        static Pair start(String clientHost, String serverHost, boolean urpc) throws Exception {
            int[] ports = MultiNodeTest.freePorts(2);
            List<InetSocketAddress> peers = NodeConfig.parsePeers("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
            CompletableFuture<Node> zero = Async.supply(() -> Node.start(new NodeConfig(0, peers,
                    ports[0], MultiNodeTest.SECRET, MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(20))
                    .withHostId(clientHost).withSameHostUrpc(urpc)));
            Node one = Node.start(new NodeConfig(1, peers, ports[1], MultiNodeTest.SECRET, MultiNodeTest.AMD, 1, 1,
                    Duration.ofSeconds(20)).withHostId(serverHost).withSameHostUrpc(urpc));
            return new Pair(zero.get(20, TimeUnit.SECONDS), one);
        }

        void run(Stream.Client c, Stream.Server s) throws Exception {
            client.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 1),
                    b -> b.dispatcher(0, c).out(null));
            server.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 2),
                    b -> b.dispatcher(1, s).out(null));
            CompletableFuture<Void> serverRun = Async.run(() -> server.run(Duration.ofSeconds(40)));
            client.run(Duration.ofSeconds(40));
            serverRun.get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
