package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.PingPong;
import io.flotilla.platform.pinned.PinnedPlatform;
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
 * Nodes in two processes on loopback, one of them killed with SIGKILL in the middle of a run: the survivor must
 * notice within {@link Node#DETECTION_BOUND}, name the node it lost and why, and stop, whichever side of the link
 * (the listening or the dialling node) died. Each test is bounded by its timeout.
 */
class NodeFailureTest {

    /** Slack over the detection bound for stopping the cores and a loaded machine. */
    static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(4);

    @Test
    @Timeout(45)
    void whenTheDiallingNodeIsKilledTheListeningNodeSaysSoAndStopsWithinTheBound(@TempDir Path dir) throws Exception {
        int[] ports = MultiNodeTest.freePorts(2);
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        Process child = startChild(dir, "1", peers, "1", "client");
        try {
            NodeConfig config = new NodeConfig(0, NodeConfig.parsePeers(peers), ports[0], MultiNodeTest.SECRET,
                    MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(30));
            try (Node node = Node.start(config)) {
                node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 3),
                        b -> b.dispatcher(0, new PingPong.Server("ping")).out(null));
                CompletableFuture<Long> stopped = Async.supply(() -> {
                    node.run(Duration.ofSeconds(40));
                    return System.nanoTime();
                });
                Thread.sleep(1500); // well into the run: the client pings away
                assertThat(stopped).isNotDone();
                child.destroyForcibly();
                long killed = System.nanoTime();
                long end = stopped.get(30, TimeUnit.SECONDS);
                assertThat(end - killed).as("stopped within the detection bound")
                        .isLessThan(Node.DETECTION_BOUND.toNanos() + SLACK_NANOS);
                NodeException lost = node.peerLost();
                assertThat(lost).isNotNull();
                assertThat(lost.failure()).isEqualTo(NodeException.Cause.PEER_LOST);
                assertThat(lost.getMessage()).startsWith("node 0: lost node 1 at 127.0.0.1:" + ports[1])
                        .doesNotContain("\n");
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(45)
    void whenTheListeningNodeIsKilledTheDiallingNodeSaysSoAndStopsWithinTheBound(@TempDir Path dir) throws Exception {
        int[] ports = MultiNodeTest.freePorts(2);
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        Process child = startChild(dir, "0", peers, "0", "server");
        try {
            NodeConfig config = new NodeConfig(1, NodeConfig.parsePeers(peers), ports[1], MultiNodeTest.SECRET,
                    MultiNodeTest.AMD, 1, 1, Duration.ofSeconds(30));
            try (Node node = Node.start(config)) {
                node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 3),
                        b -> b.dispatcher(1, new PingPong.Client("ping", Integer.MAX_VALUE, true)).out(null));
                CompletableFuture<Long> stopped = Async.supply(() -> {
                    node.run(Duration.ofSeconds(40));
                    return System.nanoTime();
                });
                Thread.sleep(1500);
                assertThat(stopped).isNotDone();
                child.destroyForcibly();
                long killed = System.nanoTime();
                long end = stopped.get(30, TimeUnit.SECONDS);
                assertThat(end - killed).as("stopped within the detection bound")
                        .isLessThan(Node.DETECTION_BOUND.toNanos() + SLACK_NANOS);
                NodeException lost = node.peerLost();
                assertThat(lost).isNotNull();
                assertThat(lost.failure()).isEqualTo(NodeException.Cause.PEER_LOST);
                assertThat(lost.getMessage()).startsWith("node 1: lost node 0 at 127.0.0.1:" + ports[0]);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(45)
    void aCleanEndIsNoLossAndLogsNoWarning(@TempDir Path dir) throws Exception {
        int[] ports = MultiNodeTest.freePorts(2);
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        Path log = dir.resolve("child.log");
        Process child = startChild(dir, log, "1", peers, "1", "server");
        try {
            NodeConfig config = new NodeConfig(0, NodeConfig.parsePeers(peers), ports[0], MultiNodeTest.SECRET,
                    MultiNodeTest.AMD, 0, 0, Duration.ofSeconds(30));
            PingPong.Client client = new PingPong.Client("ping", 500, true);
            try (Node node = Node.start(config)) {
                node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 3),
                        b -> b.dispatcher(0, client).out(null));
                node.run(Duration.ofSeconds(30));
                assertThat(client.roundTrips()).hasSize(500);
                assertThat(node.peerLost()).isNull();
            }
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log);
            assertThat(child.exitValue()).as(out).isZero();
            assertThat(out).contains("ended").doesNotContain("WARNING").doesNotContain("SEVERE");
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process startChild(Path dir, String id, String peers, String cores, String role)
            throws Exception {
        return startChild(dir, dir.resolve("child.log"), id, peers, cores, role);
    }

    private static Process startChild(Path dir, Path log, String id, String peers, String cores, String role)
            throws Exception {
        Path secretFile = dir.resolve("secret");
        Files.write(secretFile, MultiNodeTest.SECRET);
        return new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                LongNodeMain.class.getName(), id, peers, secretFile.toString(), cores, role))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
