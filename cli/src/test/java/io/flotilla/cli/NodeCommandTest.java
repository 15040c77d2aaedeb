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
    @Timeout(60)
    void nodesWithDifferentSecretsBothExit5AtOnceSayingWhy() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "sixteen bytes or more of secret\n");
        Path other = Files.writeString(dir.resolve("other"), "another secret, not the cluster's\n");
        String peers = "127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort();
        long start = System.nanoTime();
        CompletableFuture<Run> node1 = CompletableFuture.supplyAsync(() -> flotilla("node", "--id", "1", "--peers",
                peers, "--secret-file", other.toString(), "--cores", "2-3", "ping-pong"));
        Run node0 = flotilla("node", "--id", "0", "--peers", peers, "--secret-file", secret.toString(), "--cores",
                "0-1", "ping-pong");
        Run dialler = node1.get(30, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("not the 30 s join timeout")
                .isLessThan(20);
        assertThat(node0.status()).as(node0.err()).isEqualTo(NodeCommand.EXIT_PEER_REFUSED);
        assertThat(dialler.status()).as(dialler.err()).isEqualTo(NodeCommand.EXIT_PEER_REFUSED);
        assertThat(node0.err()).contains("flotilla: node 0: the node that dialled from")
                .contains("does not have this node's cluster secret");
        assertThat(dialler.err()).contains("flotilla: node 1: the handshake with node 0 at")
                .contains("server failed to prove the cluster secret");
    }

    @Test
    @Timeout(30)
    void aPeerThatNeverComesIsExit6AndASecretOthersCanReadIsAWarning() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "aaaaaaaaaaaaaaaaaaaa");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String peers = "127.0.0.1:" + freePort() + ",127.0.0.1:" + freePort();
        Run alone = flotilla("node", "--id", "0", "--peers", peers, "--secret-file", secret.toString(), "--cores",
                "0-1", "--join-timeout", "1", "ping-pong");
        assertThat(alone.status()).as(alone.err()).isEqualTo(NodeCommand.EXIT_PEER_UNREACHABLE);
        assertThat(alone.err()).contains("flotilla: warning: --secret-file " + secret
                + " can be read or changed by group or others (mode rw-r--r--)")
                .contains("flotilla: warning: the secret in --secret-file " + secret + " is weak (1 distinct byte "
                        + "value, fewer than 8)")
                .contains("no agreement yet with node(s) 1");
    }

    @Test
    void eachNodeFailureHasAnExitStatusOfItsOwnListedInTheHelp() {
        var statuses = new java.util.HashSet<Integer>();
        for (var cause : io.flotilla.kernel.node.NodeException.Cause.values()) {
            statuses.add(NodeCommand.exitStatus(new io.flotilla.kernel.node.NodeException(cause, "x")));
        }
        assertThat(statuses).containsExactlyInAnyOrder(1, 4, 5, 6).doesNotContain(Flotilla.EXIT_INTERNAL_ERROR);
        String help = flotilla("node", "--help").out();
        assertThat(help).contains("Exit status:").contains("3    the run failed").contains("4    a peer node was lost")
                .contains("5    a peer refused this node").contains("6    a peer never joined")
                .contains("70   an internal error");
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
