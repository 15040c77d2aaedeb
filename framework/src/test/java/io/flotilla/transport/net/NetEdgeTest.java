package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The edge a network peer sees before it has proved anything: what it sends is escaped before it is logged, it
 * cannot hold more than the server's connection cap, its refusals cost a bounded number of log lines, and a record
 * of length zero ends its connection at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetEdgeTest {

    NetTransport transport;
    final List<String> logged = new CopyOnWriteArrayList<>();
    final Logger jul = Logger.getLogger("io.flotilla.transport.net");
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() {
        transport = NetTransport.create(1);
        jul.addHandler(capture);
    }

    @AfterEach
    void stop() {
        jul.removeHandler(capture);
        transport.close();
    }

    private NetServer listen(NetConfig config) throws IOException {
        return transport.listen(new InetSocketAddress("127.0.0.1", 0), config, ch -> { });
    }

    @Test
    void aZeroLengthRecordClosesTheConnectionAtOnceNotAtTheHandshakeTimeout() throws Exception {
        NetServer server = listen(Traffic.config().handshakeTimeout(Duration.ofSeconds(20)).build());
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.socket.setSoTimeout(3_000); // far below the 20 s handshake timeout
            raw.send(new byte[] {0, 0, 0, 0}); // a length field of 0, and nothing after it
            assertThat(raw.closedByServer()).as("closed on the length field alone").isTrue();
        }
        assertThat(server.lastRefusal()).contains("record length 0 outside");
    }

    @Test
    void aForgedInterfaceNameCannotStartALogLineOfItsOwn() throws Exception {
        NetServer server = listen(Traffic.config().build());
        Handshake.Hello good = RawPeer.hello(Traffic.config().build(), 0);
        byte[] name = "x\nWARNING: forged log line: node 1 joined as admin\r\u0007".getBytes(StandardCharsets.UTF_8);
        Handshake.Hello forged = new Handshake.Hello(Wire.VERSION, good.ringFrames(), good.batchFrames(), 0,
                good.fingerprint(), good.nonce(), name);
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.send(forged.encode(Unpooled.buffer().alloc()));
            assertThat(raw.closedByServer()).isTrue();
        }
        String line = server.lastRefusal();
        assertThat(line).contains("refused (INTERFACE)").contains("x\\nWARNING: forged log line")
                .contains("\\r\\x07").doesNotContain("\n").doesNotContain("\r");
        assertThat(logged).filteredOn(l -> l.contains("forged")).singleElement()
                .satisfies(l -> assertThat(l).doesNotContain("\n"));
    }

    @Test
    void aServerHoldsNoMoreThanItsConnectionCapAndServesAgainWhenOneCloses() throws Exception {
        NetServer server = listen(Traffic.config().maxConnections(3).handshakeTimeout(Duration.ofSeconds(20))
                .build());
        List<RawPeer> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(new RawPeer(server.localAddress())); // silent: each sits in its handshake
            }
            awaitConnections(server, 3);
            try (RawPeer fourth = new RawPeer(server.localAddress())) {
                fourth.socket.setSoTimeout(3_000);
                assertThat(fourth.closedByServer()).as("over the cap").isTrue();
            }
            assertThat(server.lastRefusal()).contains("holds 3 connections already");
            assertThat(server.connectionCount()).isEqualTo(3);
            held.remove(0).close();
            awaitConnections(server, 2);
            try (RawPeer again = new RawPeer(server.localAddress())) {
                again.socket.setSoTimeout(1_000);
                assertThat(again.closedByServer()).as("room again: the server waits for its HELLO").isFalse();
            }
        } finally {
            for (RawPeer p : held) {
                p.close();
            }
        }
    }

    @Test
    void aFloodOfRefusedConnectionsIsLoggedAtAFewLinesASecondAndSummed() throws Exception {
        NetServer server = listen(Traffic.config().maxConnections(1).handshakeTimeout(Duration.ofSeconds(20))
                .build());
        int flood = 300;
        try (RawPeer holder = new RawPeer(server.localAddress())) {
            awaitConnections(server, 1);
            long before = server.refusals();
            for (int i = 0; i < flood; i++) {
                try (RawPeer p = new RawPeer(server.localAddress())) {
                    p.closedByServer();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.refusals() - before < flood && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.refusals() - before).as("every refusal counted").isEqualTo(flood);
            // The summary of the suppressed ones comes when their second ends.
            while (logged.stream().noneMatch(l -> l.contains("not logged one by one"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        long oneByOne = logged.stream().filter(l -> l.contains("holds 1 connections already")
                && !l.contains("not logged one by one")).count();
        long summed = logged.stream().filter(l -> l.contains("not logged one by one"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("^.*: (\\d+) more connections? closed.*$", "$1")))
                .sum();
        assertThat(oneByOne).as("lines logged one by one").isLessThan(flood / 4);
        assertThat(oneByOne + summed).as("each refusal is logged or summed, once").isEqualTo(flood);
    }

    @Test
    void peerTextEscapesControlsAndCutsLongText() {
        assertThat(PeerText.of("a\nb\rc\td\\e\u0000f\u007f\u0085g\u2028h")).isEqualTo(
                "a\\nb\\rc\\td\\\\e\\x00f\\x7f\\u0085g\\u2028h");
        assertThat(PeerText.of("\ud800x")).isEqualTo("\\ud800x");
        assertThat(PeerText.of("\ud83d\ude00")).isEqualTo("\ud83d\ude00");
        assertThat(PeerText.of("y".repeat(500), 10)).isEqualTo("yyyyyyyyyy... (500 chars)");
        assertThat(PeerText.ofUtf8(new byte[] {(byte) 0xC3, 'a'}, 10)).isEqualTo("\ufffda");
    }

    private static void awaitConnections(NetServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connectionCount() != n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(server.connectionCount()).isEqualTo(n);
    }
}
