package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes a broken or hostile peer might send, from a raw socket. Each case must close that connection with a logged
 * reason naming the peer, deliver nothing, and leave the server serving a good client.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileInputTest {

    static NetTransport transport;
    static NetServer server;
    static final BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
    static final NetConfig CONFIG = Traffic.config().handshakeTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws IOException {
        transport = NetTransport.create(2);
        server = transport.listen(new InetSocketAddress("127.0.0.1", 0), CONFIG, accepted::add);
    }

    @AfterAll
    static void stop() {
        transport.close();
    }

    static Stream<Arguments> beforeHandshake() {
        Random random = new Random(42);
        byte[] garbage = new byte[300];
        random.nextBytes(garbage);
        byte[] dataRecord = RawPeer.record(Wire.DATA, new byte[16 + 64]);
        byte[] truncatedHello = RawPeer.record(Wire.HELLO, new byte[] {0, 1, 0, 0});
        Handshake.Hello good = RawPeer.hello(CONFIG, 0);
        Handshake.Hello hugeRing = new Handshake.Hello(1, 1 << 30, 16, 0, good.fingerprint(), good.nonce(),
                good.name());
        return Stream.of(
                Arguments.of("negative length", bytes(0xFF, 0xFF, 0xFF, 0xF0, Wire.DATA), "negative record length"),
                Arguments.of("length above the batch limit", bytes(0x7F, 0xFF, 0xFF, 0xFF, Wire.DATA), "outside"),
                Arguments.of("zero length", bytes(0, 0, 0, 0, Wire.HELLO), "outside"),
                Arguments.of("DATA not a multiple of 64", RawPeer.record(Wire.DATA, new byte[16 + 63]), "64-byte"),
                Arguments.of("unknown record type", RawPeer.record(99, new byte[3]), "unknown record type 99"),
                Arguments.of("DATA before the handshake", dataRecord, "out of order"),
                Arguments.of("PROOF before HELLO", RawPeer.record(Wire.PROOF, new byte[32]), "out of order"),
                Arguments.of("WELCOME from a client", RawPeer.record(Wire.WELCOME, new byte[0]), "out of order"),
                Arguments.of("malformed HELLO", truncatedHello, "malformed HELLO"),
                Arguments.of("absurd ring size", toBytes(hugeRing.encode(Unpooled.buffer().alloc())), "ring"),
                Arguments.of("garbage", garbage, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("beforeHandshake")
    void beforeTheHandshake(String what, byte[] bytes, String reason) throws Exception {
        long refusals = server.refusals();
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.send(bytes);
            assertThat(raw.closedByServer()).as("closed after " + what).isTrue();
        }
        awaitRefusal(refusals, reason);
        assertGoodClientIsServed();
    }

    @Test
    void truncatedRecordAtClose() throws Exception {
        long refusals = server.refusals();
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            byte[] hello = toBytes(RawPeer.hello(CONFIG, 0).encode(Unpooled.buffer().alloc()));
            raw.send(java.util.Arrays.copyOf(hello, hello.length - 5));
            raw.socket.shutdownOutput();
            assertThat(raw.closedByServer()).isTrue();
        }
        awaitRefusal(refusals, "truncated");
        assertGoodClientIsServed();
    }

    @Test
    void silentPeerIsCutOffByTheHandshakeTimeout() throws Exception {
        long refusals = server.refusals();
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            assertThat(raw.closedByServer()).isTrue(); // within the socket's 15 s; the handshake timeout is 2 s
        }
        awaitRefusal(refusals, "no complete handshake");
        assertGoodClientIsServed();
    }

    static Stream<Arguments> afterHandshake() {
        return Stream.of(
                Arguments.of("ack of a frame never sent", RawPeer.record(Wire.ACK, longs(5)), "never sent"),
                Arguments.of("DATA acking a frame never sent", data(7, 1, 1), "never sent"),
                Arguments.of("a gap in sequence numbers", data(0, 3, 1), "gap"),
                Arguments.of("sequence number 0", data(0, 0, 1), "gap"),
                Arguments.of("HELLO again", toBytes(RawPeer.hello(CONFIG, 0).encode(Unpooled.buffer().alloc())),
                        "HELLO record after the handshake"),
                Arguments.of("length above the batch limit",
                        bytes(0x00, 0x10, 0x00, 0x00, Wire.DATA), "outside"),
                Arguments.of("frame with message number 0", zeroControl(), "message number 0"),
                Arguments.of("more frames than the window", overflow(), "beyond its window"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("afterHandshake")
    void afterTheHandshake(String what, byte[] bytes, String reason) throws Exception {
        long refusals = server.refusals();
        NetChannel serverEnd;
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            Handshake.Challenge c = raw.handshake(CONFIG);
            serverEnd = takeSession(c.sessionId());
            raw.send(bytes);
            assertThat(raw.closedByServer()).as("closed after " + what).isTrue();
        }
        awaitRefusal(refusals, reason);
        Traffic.Checker checker = new Traffic.Checker();
        serverEnd.poll(checker, Integer.MAX_VALUE);
        if (what.equals("more frames than the window")) {
            assertThat(checker.received()).isEqualTo(CONFIG.ringFrames()); // the window's worth, not one more
        } else if (!what.equals("frame with message number 0")) {
            assertThat(checker.received()).isZero();
        }
        assertGoodClientIsServed();
    }

    /** DATA acking {@code ack}, frames numbered from {@code firstSeq}, well-formed payloads. */
    static byte[] data(long ack, long firstSeq, int frames) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(Wire.dataLength(frames)).writeByte(Wire.DATA).writeLong(ack).writeLong(firstSeq);
        for (long s = firstSeq; s < firstSeq + frames; s++) {
            long seq = Math.max(1, s);
            b.writeLong(seq);
            for (int i = 1; i < 7; i++) {
                b.writeLong(Traffic.word(seq, i));
            }
            b.writeLong(Traffic.control(seq));
        }
        return toBytes(b);
    }

    static byte[] zeroControl() {
        byte[] d = data(0, 1, 2);
        for (int i = 0; i < 8; i++) {
            d[Wire.LENGTH_BYTES + Wire.DATA_HEADER + 64 + 56 + i] = 0; // second frame's control word
        }
        return d;
    }

    static byte[] overflow() {
        int window = CONFIG.ringFrames();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        int batch = CONFIG.maxBatchFrames();
        for (int from = 1; from <= window + 1; from += batch) {
            all.writeBytes(data(0, from, Math.min(batch, window + 2 - from)));
        }
        return all.toByteArray();
    }

    static NetChannel takeSession(long id) throws InterruptedException {
        while (true) {
            NetChannel ch = accepted.poll(5, TimeUnit.SECONDS);
            assertThat(ch).as("session " + Long.toHexString(id) + " accepted").isNotNull();
            if (ch.sessionId() == id) {
                return ch;
            }
        }
    }

    static void awaitRefusal(long before, String reason) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.refusals() == before && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        assertThat(server.refusals()).isGreaterThan(before);
        assertThat(server.lastRefusal()).contains("127.0.0.1").contains(reason);
    }

    static void assertGoodClientIsServed() throws Exception {
        try (NetChannel client = transport.connect(server.localAddress(), CONFIG)) {
            NetChannel serverEnd = takeSession(client.sessionId());
            Traffic.send(client, 1);
            Traffic.Checker checker = new Traffic.Checker();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (checker.received() == 0 && System.nanoTime() < until) {
                serverEnd.poll(checker, 1);
                Thread.sleep(1);
            }
            assertThat(checker.received()).isEqualTo(1);
        }
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] longs(long... values) {
        ByteBuf b = Unpooled.buffer();
        for (long v : values) {
            b.writeLong(v);
        }
        return toBytes(b);
    }

    static byte[] toBytes(ByteBuf b) {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        return bytes;
    }
}
