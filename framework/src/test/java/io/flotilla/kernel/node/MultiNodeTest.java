package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.PingPong;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.transport.net.NetChannel;
import io.flotilla.transport.net.NetConfig;
import io.flotilla.transport.net.NetTransport;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs, one multikernel: node 0 runs in this JVM, node 1 in a child JVM; all on loopback. */
class MultiNodeTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final byte[] SECRET = "a cluster secret for tests".getBytes(StandardCharsets.UTF_8);
    static final int ROUNDS = 1000;

    @Test
    @Timeout(60)
    void aClientOnAnotherJvmLooksUpBindsAndPlaysAThousandRoundTrips(@TempDir Path dir) throws Exception {
        int[] ports = freePorts(2);
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        Path secretFile = dir.resolve("secret");
        Files.write(secretFile, SECRET);
        Path log = dir.resolve("node1.log");
        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                NodeMain.class.getName(), "1", peers, secretFile.toString(), "1", Integer.toString(ROUNDS)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            NodeConfig config = new NodeConfig(0, NodeConfig.parsePeers(peers), ports[0], SECRET, AMD, 0, 0,
                    Duration.ofSeconds(30));
            PingPong.Server server = new PingPong.Server("ping");
            try (Node node = Node.start(config)) {
                assertThat(node.coreCount()).isEqualTo(2);
                Multikernel mk = node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 3),
                        b -> b.dispatcher(0, server).out(null));
                // While the client binds and plays, two hostile peers: raw garbage, and a peer that knows the
                // secret but sends a malformed intermon frame. Each loses its connection; the node carries on.
                CompletableFuture<Void> hostile = Async.run(() -> attack(ports[0]));
                node.run(Duration.ofSeconds(40));
                hostile.get(10, TimeUnit.SECONDS);
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("node 1 exits").isTrue();
                String out = Files.readString(log);
                assertThat(child.exitValue()).as(out).isZero();
                assertThat(out).contains("round trips: " + ROUNDS + " of " + ROUNDS).contains("OK")
                        .as("a clean run logs no warning").doesNotContain("WARNING");
                assertThat(mk.failures()).isEmpty();
                assertThat(server.served()).isEqualTo(ROUNDS);
                // The bind's net channel is metered on this node too: counted, without latencies (sent elsewhere).
                assertThat(mk.metrics().messagesReceived(0)).isEqualTo(ROUNDS);
                assertThat(mk.metrics().messagesSent(0)).isEqualTo(ROUNDS);
                assertThat(mk.metrics().timedMessages()).isZero();
                assertThat(node.refusals()).as("the garbage and the malformed frame were refused").isGreaterThanOrEqualTo(2);
                assertThat(node.lastRefusal()).contains("127.0.0.1");
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Raw bytes at the listener, then an authenticated link whose first frame is not a route frame. */
    private static void attack(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: flotilla\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.getInputStream().read(); // until the node closes it
        } catch (Exception expected) {
            // closed by the node
        }
        try (NetTransport net = NetTransport.create(1)) {
            NetChannel ch = net.connect(new InetSocketAddress("127.0.0.1", port),
                    NetConfig.builder(SECRET, LinkConfig.INTERFACE, LinkConfig.FINGERPRINT).build());
            FrameWriter w = ch.claim(); // junk where a route frame must come
            w.putWord(0, 0xDEAD_BEEF_0000_0000L);
            w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ch.isOpen() && System.nanoTime() < deadline) {
                ch.poll(f -> { }, 16);
                Thread.sleep(5);
            }
            assertThat(ch.isOpen()).as("the node closed the malformed link").isFalse();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(30)
    void aNodeWithTheWrongSecretIsRefused() throws Exception {
        int[] ports = freePorts(2);
        List<InetSocketAddress> peers = NodeConfig.parsePeers("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
        CompletableFuture<Node> first = Async.supply(() -> Node.start(
                new NodeConfig(0, peers, ports[0], SECRET, AMD, 0, 0, Duration.ofSeconds(20))));
        byte[] wrong = "another secret, not the cluster's".getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Node.start(new NodeConfig(1, peers, ports[1], wrong, AMD, 1, 1,
                Duration.ofSeconds(20))))
                .isInstanceOf(NodeException.class)
                .hasMessageContaining("node 1")
                .hasMessageContaining("node 0 at")
                .hasMessageContaining("cluster secret")
                .satisfies(e -> assertThat(((NodeException) e).failure()).isEqualTo(NodeException.Cause.REFUSED));
        // The node with the right secret hears why at once too, not at its 20 s join timeout.
        assertThatThrownBy(() -> first.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NodeException.class)
                .hasMessageContaining("node 0: the node that dialled from /127.0.0.1:")
                .hasMessageContaining("(node 1 at 127.0.0.1:" + ports[1] + "?) does not have this node's cluster "
                        + "secret")
                .satisfies(e -> assertThat(((NodeException) e.getCause()).failure())
                        .isEqualTo(NodeException.Cause.REFUSED));
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }

    @Test
    @Timeout(30)
    void nodesThatDisagreeAboutTheMachineFailToJoinSayingWhy() throws Exception {
        int[] ports = freePorts(2);
        List<InetSocketAddress> peers = NodeConfig.parsePeers("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
        CompletableFuture<Node> first = Async.supply(() -> Node.start(
                new NodeConfig(0, peers, ports[0], SECRET, AMD, 0, 0, Duration.ofSeconds(10))));
        Machine other = Machines.load("intel-2x4");
        assertThatThrownBy(() -> Node.start(new NodeConfig(1, peers, ports[1], SECRET, other, 1, 1,
                Duration.ofSeconds(10))))
                .isInstanceOf(NodeException.class)
                .hasMessageContaining("runs machine");
        assertThatThrownBy(() -> first.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NodeException.class)
                .hasMessageContaining("runs machine '" + other.name() + "'");
    }

    @Test
    @Timeout(40)
    void whenANodeLeavesTheOthersPendingLookUpsFailAtOnceAndTheyStop() throws Exception {
        int[] ports = freePorts(2);
        List<InetSocketAddress> peers = NodeConfig.parsePeers("127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
        CompletableFuture<Node> first = Async.supply(() -> Node.start(
                new NodeConfig(0, peers, ports[0], SECRET, AMD, 0, 0, Duration.ofSeconds(20))));
        Node second = Node.start(new NodeConfig(1, peers, ports[1], SECRET, AMD, 1, 1, Duration.ofSeconds(20)));
        Node zero = first.get(20, TimeUnit.SECONDS);
        var errors = new java.util.concurrent.CopyOnWriteArrayList<String>();
        io.flotilla.kernel.Dispatcher waiter = new io.flotilla.kernel.Dispatcher() {
            @Override
            protected void onStart() {
                // Waits far longer than the test: only the other node leaving can end it.
                bind("nobody", Long.MAX_VALUE / 4, (binding, error) -> errors.add(String.valueOf(error)));
            }
        };
        try (zero; second) {
            zero.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 1), b -> b.out(null));
            second.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 2),
                    b -> b.dispatcher(1, waiter).out(null));
            CompletableFuture<Void> zeroRun = Async.run(() -> zero.run(Duration.ofMillis(1500)));
            long start = System.nanoTime();
            second.run(Duration.ofSeconds(30)); // ends because every other node has left
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            zeroRun.get(10, TimeUnit.SECONDS);
            assertThat(seconds).as("node 1 stopped when node 0 left, not at its limit").isLessThan(15);
            assertThat(errors).singleElement().satisfies(e -> assertThat(e)
                    .contains("the name service on core 0 (node 0 at 127.0.0.1:" + ports[0] + ") is gone")
                    .contains("left (its run ended)"));
        }
    }

    static int[] freePorts(int n) throws Exception {
        int[] ports = new int[n];
        ServerSocket[] sockets = new ServerSocket[n];
        for (int i = 0; i < n; i++) {
            sockets[i] = new ServerSocket(0);
            ports[i] = sockets[i].getLocalPort();
        }
        for (ServerSocket s : sockets) {
            s.close();
        }
        return ports;
    }
}
