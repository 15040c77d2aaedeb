package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.binding.InterfaceDescriptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who gets in: the secret, the interface and the protocol version must all match; a refusal reaches nothing. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HandshakeTest {

    static NetTransport transport;
    NetServer server;
    final BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        transport = NetTransport.create(2);
    }

    @AfterAll
    static void stop() {
        transport.close();
    }

    @BeforeEach
    void listen() throws Exception {
        server = transport.listen(new InetSocketAddress("127.0.0.1", 0), Traffic.config().build(), accepted::add);
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void aGoodClientGetsIn() throws Exception {
        InterfaceDescriptor iface = new InterfaceDescriptor(Traffic.IFACE, "", Traffic.FINGERPRINT, List.of());
        try (NetChannel c = transport.connect(server.localAddress(), NetConfig.builder(Traffic.SECRET, iface).build())) {
            assertThat(accepted.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(c.isOpen()).isTrue();
            assertThat(server.refusals()).isZero();
        }
    }

    @Test
    void wrongSecretIsRefused() {
        NetConfig wrong = NetConfig.builder("not the secret".getBytes(StandardCharsets.UTF_8), Traffic.IFACE,
                Traffic.FINGERPRINT).build();
        // The client checks the server's proof first, and finds the server does not share its secret.
        assertThatThrownBy(() -> transport.connect(server.localAddress(), wrong))
                .isInstanceOfSatisfying(NetHandshakeException.class,
                        e -> assertThat(e.refusal()).isEqualTo(NetRefusal.AUTHENTICATION))
                .hasMessageContaining("secret").hasMessageContaining("127.0.0.1");
        assertThat(accepted).isEmpty();
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void aClientThatCannotProveTheSecretIsRefusedByTheServer() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.send(RawPeer.hello(Traffic.config().build(), 0).encode(Unpooled.buffer().alloc()));
            ByteBuf c = raw.readRecord();
            assertThat((int) c.readUnsignedByte()).isEqualTo(Wire.CHALLENGE);
            raw.send(RawPeer.record(Wire.PROOF, new byte[Wire.MAC_BYTES])); // a guess
            ByteBuf refuse = raw.readRecord();
            assertThat((int) refuse.readUnsignedByte()).isEqualTo(Wire.REFUSE);
            assertThat(NetRefusal.fromWire(refuse.readUnsignedByte())).isEqualTo(NetRefusal.AUTHENTICATION);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(server.lastRefusal()).contains("secret").contains("127.0.0.1");
        assertThat(accepted).isEmpty();
    }

    @Test
    void reflectingTheServersProofDoesNotWork() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            raw.send(RawPeer.hello(Traffic.config().build(), 0).encode(Unpooled.buffer().alloc()));
            ByteBuf c = raw.readRecord();
            c.readUnsignedByte();
            Handshake.Challenge challenge = Handshake.Challenge.decode(c);
            raw.send(Handshake.proof(Unpooled.buffer().alloc(), challenge.mac()));
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(server.lastRefusal()).contains("secret");
        assertThat(accepted).isEmpty();
    }

    @Test
    void wrongFingerprintIsRefused() {
        NetConfig other = NetConfig.builder(Traffic.SECRET, Traffic.IFACE, Traffic.FINGERPRINT + 1).build();
        assertThatThrownBy(() -> transport.connect(server.localAddress(), other))
                .isInstanceOfSatisfying(NetHandshakeException.class,
                        e -> assertThat(e.refusal()).isEqualTo(NetRefusal.INTERFACE));
        assertThat(server.lastRefusal()).contains("fingerprint").contains("127.0.0.1");
        assertThat(accepted).isEmpty();
    }

    @Test
    void wrongInterfaceIsRefused() {
        NetConfig other = NetConfig.builder(Traffic.SECRET, "test.other", Traffic.FINGERPRINT).build();
        assertThatThrownBy(() -> transport.connect(server.localAddress(), other))
                .isInstanceOfSatisfying(NetHandshakeException.class,
                        e -> assertThat(e.refusal()).isEqualTo(NetRefusal.INTERFACE));
        assertThat(server.lastRefusal()).contains("test.other");
        assertThat(accepted).isEmpty();
    }

    @Test
    void otherProtocolVersionIsRefused() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            Handshake.Hello v1 = RawPeer.hello(Traffic.config().build(), 0);
            Handshake.Hello v2 = new Handshake.Hello(2, v1.ringFrames(), v1.batchFrames(), 0, v1.fingerprint(),
                    v1.nonce(), v1.name());
            raw.send(v2.encode(Unpooled.buffer().alloc()));
            ByteBuf refuse = raw.readRecord();
            assertThat((int) refuse.readUnsignedByte()).isEqualTo(Wire.REFUSE);
            assertThat(NetRefusal.fromWire(refuse.readUnsignedByte())).isEqualTo(NetRefusal.PROTOCOL_VERSION);
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(server.lastRefusal()).contains("version 2");
        assertThat(accepted).isEmpty();
    }

    @Test
    void resumingAnUnknownSessionIsRefused() throws Exception {
        try (RawPeer raw = new RawPeer(server.localAddress())) {
            NetConfig config = Traffic.config().build();
            Handshake.Hello hello = RawPeer.hello(config, 0x1234);
            raw.send(hello.encode(Unpooled.buffer().alloc()));
            ByteBuf c = raw.readRecord();
            c.readUnsignedByte();
            Handshake.Challenge challenge = Handshake.Challenge.decode(c);
            raw.send(Handshake.proof(Unpooled.buffer().alloc(),
                    Handshake.mac(config.clusterSecret(), Handshake.CLIENT_ROLE, hello, challenge)));
            ByteBuf refuse = raw.readRecord();
            assertThat((int) refuse.readUnsignedByte()).isEqualTo(Wire.REFUSE);
            assertThat(NetRefusal.fromWire(refuse.readUnsignedByte())).isEqualTo(NetRefusal.UNKNOWN_SESSION);
        }
        assertThat(accepted).isEmpty();
    }
}
