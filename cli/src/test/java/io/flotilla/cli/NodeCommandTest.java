package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla node}: two nodes (here two threads of one JVM, each its own node) play ping-pong; flags checked. */
class NodeCommandTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void twoNodesPlayPingPongAcrossTheNetTransport() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "sixteen bytes or more of secret\n");
        String peers = "127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort();
        CompletableFuture<Run> node1 = CompletableFuture.supplyAsync(() -> flotilla("node", "--id", "1", "--peers",
                peers, "--secret-file", secret.toString(), "--cores", "2-3", "--pings", "300", "ping-pong"));
        Path trace = dir.resolve("node0.json");
        Run node0 = flotilla("node", "--id", "0", "--peers", peers, "--secret-file", secret.toString(), "--cores",
                "0-1", "--pings", "300", "--trace", trace.toString(), "ping-pong");
        Run other = node1.get(30, TimeUnit.SECONDS);
        assertThat(node0.status()).as(node0.err() + node0.out()).isZero();
        assertThat(other.status()).as(other.err() + other.out()).isZero();
        assertThat(node0.out()).contains("ping-pong on node 0 of 2 (cores 0-1 of amd-8x4): server on core 0, "
                + "client on core 3").contains("server: say logged [hello from core 3, after 300 pongs]");
        assertThat(node0.out()).contains("events in " + trace);
        assertThat(Files.readString(trace)).contains("\"name\":\"core 0\"").contains("Server@0");
        assertThat(other.out()).contains("client: 300 pings, 300 pongs").contains("7 of 7 replies correct")
                .contains("metrics: ");
    }

    @Test
    @Timeout(60)
    void twoNodesOfOneHostStartOnNetAndSwapTheBindingToUrpcMidRun() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "sixteen bytes or more of secret\n");
        String peers = "127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort();
        CompletableFuture<Run> node1 = CompletableFuture.supplyAsync(() -> flotilla("node", "--id", "1", "--peers",
                peers, "--secret-file", secret.toString(), "--cores", "1", "--pings", "2000", "--net-between-nodes",
                "--swap-to", "urpc", "ping-pong"));
        Run node0 = flotilla("node", "--id", "0", "--peers", peers, "--secret-file", secret.toString(), "--cores",
                "0", "--pings", "2000", "--net-between-nodes", "--swap-to", "urpc", "ping-pong");
        Run client = node1.get(30, TimeUnit.SECONDS);
        assertThat(node0.status()).as(node0.err() + node0.out()).isZero();
        assertThat(client.status()).as(client.err() + client.out()).isZero();
        assertThat(client.out()).contains("client: 2000 pings, 2000 pongs").contains("7 of 7 replies correct")
                .contains("client: swapped the binding to urpc half-way, while pings were in flight");
    }

    @Test
    void everyFlagIsCheckedWithAClearMessage() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "sixteen bytes or more of secret");
        Path shortSecret = Files.writeString(dir.resolve("short"), "tiny");
        String s = secret.toString();
        assertThat(flotilla("node", "--id", "0", "--peers", "localhost", "--secret-file", s, "--cores", "0",
                "ping-pong").err()).contains("--peers entry 1 'localhost' is not host:port");
        assertThat(flotilla("node", "--id", "0", "--peers", "a:1,a:x", "--secret-file", s, "--cores", "0",
                "ping-pong").err()).contains("--peers entry 2 'a:x' has a port that is not a number");
        assertThat(flotilla("node", "--id", "2", "--peers", "a:1,b:2", "--secret-file", s, "--cores", "0",
                "ping-pong").err()).contains("--id 2 is not a node of --peers");
        assertThat(flotilla("node", "--id", "0", "--peers", "a:1,b:2", "--secret-file", s, "--cores", "3-1",
                "ping-pong").err()).contains("--cores '3-1' is not a range");
        assertThat(flotilla("node", "--id", "0", "--peers", "a:1,b:2", "--secret-file", s, "--cores", "0-40",
                "ping-pong").err()).contains("--cores 0-40 is not a range of amd-8x4's cores 0..31");
        assertThat(flotilla("node", "--id", "0", "--peers", "a:1,b:2", "--secret-file", shortSecret.toString(),
                "--cores", "0", "ping-pong").err()).contains("holds 4 bytes of secret; at least 16 are needed");
        assertThat(flotilla("node", "--id", "0", "--peers", "a:1,b:2", "--secret-file",
                dir.resolve("missing").toString(), "--cores", "0", "ping-pong").err()).contains("cannot be read");
        assertThat(flotilla("node", "--id", "0", "--peers", "a:1,b:2", "--secret-file", s, "--cores", "0",
                "--pings", "0", "ping-pong").err()).contains("'--pings': 0");
        assertThat(flotilla("node", "--id", "0", "--peers", "a:1,b:2", "--secret-file", s, "--cores", "0",
                "--swap-to", "lrpc", "ping-pong").err()).contains("'--swap-to': 'lrpc' (between nodes: net, or urpc");
        Run unknown = flotilla("node", "--id", "0", "--peers", "a:1", "--secret-file", s, "--cores", "0", "chess");
        assertThat(unknown.status()).isNotZero();
        assertThat(unknown.err()).contains("Unknown example 'chess'");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
