package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames flow both ways through a proxy that cuts the TCP connection at random points; the client reconnects and
 * resumes, both sides resend what was not acknowledged. Afterwards each side must have received exactly 1, 2, 3,
 * ..., n: nothing lost, duplicated or reordered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReconnectStressTest {

    @Test
    void noFrameLostDuplicatedOrReorderedAcrossRandomCuts() throws Exception {
        long n = Long.getLong("flotilla.net.stressFrames", 200_000); // 10^6 passes too; kept small for CI
        NetConfig config = Traffic.config()
                .ringFrames(512)
                .maxBatchFrames(64)
                .reconnectAttempts(100)
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .sessionLinger(Duration.ofSeconds(20))
                .build();
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        // Three event loops: a resumed connection often lands on another loop than its session's home.
        try (NetTransport transport = NetTransport.create(3);
                NetServer server = transport.listen(new InetSocketAddress("127.0.0.1", 0), config, accepted::add);
                ChaosProxy proxy = new ChaosProxy(server.localAddress(), 7, 5, 40);
                NetChannel client = transport.connect(proxy.address(), config)) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            assertThat(serverEnd).isNotNull();
            proxy.arm();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread a = NetChannelTest.ownerThread("client", () -> stream(client, n, deadline, failure));
            Thread b = NetChannelTest.ownerThread("server", () -> stream(serverEnd, n, deadline, failure));
            a.join();
            b.join();
            System.out.printf("%d frames each way, %d cuts, %d resumes, %d refusals logged by the server%n", n,
                    proxy.cuts(), client.resumes(), server.refusals());
            assertThat(failure.get()).isNull();
            assertThat(accepted).as("a resumed connection opens no new session").isEmpty();
            assertThat(proxy.cuts()).isGreaterThan(5);
            assertThat(client.resumes()).isGreaterThan(5);
            assertThat(client.isOpen()).isTrue();
        }
    }

    private static void stream(NetChannel ch, long n, long deadline, AtomicReference<Throwable> failure) {
        try {
            Traffic.Checker checker = new Traffic.Checker();
            long sent = 0;
            Traffic.Idle idle = new Traffic.Idle();
            while (sent < n || checker.received() < n) {
                if (!ch.isOpen()) {
                    throw new AssertionError("channel closed: " + ch.closeReason());
                }
                boolean busy = false;
                for (int room = ch.writableFrames(); room > 0 && sent < n; room--) {
                    Traffic.send(ch, ++sent);
                    busy = true;
                }
                busy |= ch.poll(checker, 1024) > 0;
                idle.after(busy);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out: sent " + sent + ", received " + checker.received());
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
