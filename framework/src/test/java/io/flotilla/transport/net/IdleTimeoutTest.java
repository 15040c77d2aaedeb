package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Heartbeats keep a quiet but healthy connection up; a peer that goes silent after its handshake is cut off. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class IdleTimeoutTest {

    static final NetConfig CONFIG = Traffic.config().idleTimeout(Duration.ofMillis(300)).build();

    @Test
    void quietConnectionsStayUpAndSilentPeersAreCutOff() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetTransport transport = NetTransport.create(1);
                NetServer server = transport.listen(new InetSocketAddress("127.0.0.1", 0), CONFIG, accepted::add);
                NetChannel client = transport.connect(server.localAddress(), CONFIG)) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            Thread.sleep(1200); // four idle timeouts without a frame
            assertThat(client.isOpen()).isTrue();
            assertThat(client.resumes()).as("heartbeats kept the first connection up").isZero();
            Traffic.send(client, 1);
            Traffic.Checker checker = new Traffic.Checker();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (checker.received() == 0 && System.nanoTime() < until) {
                serverEnd.poll(checker, 1);
                Thread.sleep(1);
            }
            assertThat(checker.received()).isEqualTo(1);

            long refusals = server.refusals();
            try (RawPeer silent = new RawPeer(server.localAddress())) {
                silent.handshake(CONFIG);
                assertThat(silent.closedByServer()).isTrue();
            }
            assertThat(server.refusals()).isGreaterThan(refusals);
            assertThat(server.lastRefusal()).contains("nothing received for 300 ms").contains("127.0.0.1");
        }
    }
}
