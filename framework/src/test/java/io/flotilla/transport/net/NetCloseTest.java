package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The graceful close: frames published before {@link NetChannel#close()} reach the peer's poll exactly once and in
 * order, across a cut connection; a peer that never comes back bounds the close by the linger, with the count of
 * frames not confirmed delivered. Real sockets on loopback, real owner threads; every wait is on a condition.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetCloseTest {

    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    static NetTransport transport;

    @BeforeAll
    static void start() {
        transport = NetTransport.create(2);
    }

    @AfterAll
    static void stop() {
        transport.close();
    }

    /** Reconnects fast and often, so a cut is repaired well within the (generous) linger. */
    static NetConfig.Builder resilient() {
        return Traffic.config()
                .reconnectAttempts(1000)
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .closeLinger(Duration.ofSeconds(30));
    }

    @Test
    void closeRightAfterABurstDeliversEveryFrameOnceInOrder() throws Exception {
        int n = 10_000;
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, resilient().build(), accepted::add)) {
            NetChannel client = transport.connect(server.localAddress(), resilient().build());
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            Reader reader = new Reader(serverEnd);
            long sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Traffic.Idle idle = new Traffic.Idle();
            while (sent < n) {
                boolean busy = false;
                for (int room = client.writableFrames(); room > 0 && sent < n; room--) {
                    Traffic.send(client, ++sent);
                    busy = true;
                }
                idle.after(busy);
                assertThat(System.nanoTime()).as("publishing %d frames", n).isLessThan(deadline);
            }
            client.close(); // right away: up to a window of frames are still in flight or unacknowledged
            assertThat(client.isOpen()).isFalse();
            assertThat(client.writableFrames()).isZero();
            assertThatThrownBy(client::claim).isInstanceOf(IllegalStateException.class).hasMessageContaining("clos");

            CloseResult result = client.closeFuture().get(30, TimeUnit.SECONDS);
            assertThat(result.allConfirmed()).as(result.toString()).isTrue();
            assertThat(result.reason()).isEqualTo("closed by this end");
            assertThat(client.closeReason()).isEqualTo("closed by this end");
            reader.join();
            assertThat(reader.failure.get()).isNull();
            assertThat(reader.checker.received()).isEqualTo(n);
            assertThat(serverEnd.closeReason()).isEqualTo("closed by the peer");
            assertThat(serverEnd.closeFuture().get(10, TimeUnit.SECONDS).reason()).isEqualTo("closed by the peer");
            assertThat(server.sessionCount()).isZero();
        }
    }

    @Test
    void aServerEndsCloseReachesTheClientToo() throws Exception {
        int n = 5_000;
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, resilient().build(), accepted::add)) {
            NetChannel client = transport.connect(server.localAddress(), resilient().build());
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            Reader reader = new Reader(client);
            publish(serverEnd, n);
            serverEnd.close();
            assertThat(serverEnd.closeFuture().get(30, TimeUnit.SECONDS).allConfirmed()).isTrue();
            reader.join();
            assertThat(reader.failure.get()).isNull();
            assertThat(reader.checker.received()).isEqualTo(n);
            assertThat(client.closeReason()).isEqualTo("closed by the peer");
        }
    }

    @Test
    void closeWhileTheConnectionIsCutDeliversEverythingAfterTheReconnect() throws Exception {
        int n = 3_000;
        NetConfig config = resilient().ringFrames(4096).build();
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, config, accepted::add);
                ChaosProxy proxy = new ChaosProxy(server.localAddress(), 1, 1000, 1000)) {
            NetChannel client = transport.connect(proxy.address(), config);
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            publish(client, n); // the server does not poll yet: nothing can be acknowledged
            proxy.hold(true);
            proxy.cutNow(); // mid-stream, wherever the bytes are
            client.close(); // the connection is down and reconnects are being turned away
            Thread.sleep(100); // let a few reconnect attempts fail (not needed for correctness)
            assertThat(client.closeFuture()).isNotDone(); // nothing was consumed, so nothing can be confirmed
            proxy.hold(false);

            Reader reader = new Reader(serverEnd);
            CloseResult result = client.closeFuture().get(30, TimeUnit.SECONDS);
            assertThat(result.allConfirmed()).as(result.toString()).isTrue();
            reader.join();
            assertThat(reader.failure.get()).isNull();
            assertThat(reader.checker.received()).isEqualTo(n);
            assertThat(client.resumes()).isPositive();
            assertThat(accepted).as("the resume opened no new session").isEmpty();
        }
    }

    @Test
    void closeWithThePeerGoneForeverEndsAfterTheLingerAndCountsTheFrames() throws Exception {
        int n = 100;
        NetConfig config = resilient().closeLinger(Duration.ofMillis(300)).build();
        List<String> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (warnings) {
                        warnings.add(r.getMessage());
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jul = Logger.getLogger("io.flotilla.transport.net");
        jul.addHandler(capture);
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, config, accepted::add);
                ChaosProxy proxy = new ChaosProxy(server.localAddress(), 2, 1000, 1000)) {
            NetChannel client = transport.connect(proxy.address(), config);
            assertThat(accepted.poll(5, TimeUnit.SECONDS)).isNotNull(); // its owner never polls
            publish(client, n);
            proxy.hold(true);
            proxy.cutNow();
            client.close();

            CloseResult result = client.closeFuture().get(30, TimeUnit.SECONDS);
            assertThat(result.unconfirmedFrames()).isEqualTo(n);
            assertThat(result.allConfirmed()).isFalse();
            assertThat(result.reason()).contains(n + " frames not confirmed delivered").contains("linger of 300 ms");
            assertThat(client.closeReason()).isEqualTo(result.reason());
            assertThat(client.isOpen()).isFalse();
            synchronized (warnings) {
                assertThat(warnings).anySatisfy(w -> assertThat(w).contains("127.0.0.1")
                        .contains(n + " frames not confirmed delivered"));
            }
        } finally {
            jul.removeHandler(capture);
        }
    }

    @Test
    void doubleCloseIsIdempotent() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, resilient().build(), accepted::add)) {
            NetChannel client = transport.connect(server.localAddress(), resilient().build());
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            publish(client, 50);
            Thread other = NetChannelTest.ownerThread("closer", client::close);
            client.close();
            client.close();
            other.join();
            Reader reader = new Reader(serverEnd);
            CloseResult first = client.closeFuture().get(30, TimeUnit.SECONDS);
            client.close(); // after the end, too
            assertThat(client.closeFuture().get(1, TimeUnit.SECONDS)).isEqualTo(first);
            assertThat(first.allConfirmed()).isTrue();
            assertThat(client.closeReason()).isEqualTo("closed by this end");
            reader.join();
            assertThat(reader.checker.received()).isEqualTo(50);
            serverEnd.close(); // closing an end the peer already closed changes nothing
            // Its event loop may still be finishing the end it began when the peer's BYE came; wait for it.
            assertThat(serverEnd.closeFuture().get(30, TimeUnit.SECONDS).reason()).isEqualTo("closed by the peer");
            assertThat(serverEnd.closeReason()).isEqualTo("closed by the peer");
        }
    }

    @Test
    void bothEndsClosingAtOnceEndWithoutWaitingForTheLinger() throws Exception {
        NetConfig config = resilient().closeLinger(Duration.ofSeconds(120)).build();
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, config, accepted::add)) {
            NetChannel client = transport.connect(server.localAddress(), config);
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            publish(client, 20);
            publish(serverEnd, 30);
            client.close();
            serverEnd.close();
            // Neither owner polls again, so each end's frames stay unconfirmed; the goodbyes end both sessions
            // long before the 120 s linger (the test's own timeout is 60 s).
            CloseResult a = client.closeFuture().get(30, TimeUnit.SECONDS);
            CloseResult b = serverEnd.closeFuture().get(30, TimeUnit.SECONDS);
            assertThat(a.unconfirmedFrames()).isEqualTo(20);
            assertThat(b.unconfirmedFrames()).isEqualTo(30);
            assertThat(a.reason()).startsWith("closed by this end with 20 frames not confirmed delivered");
        }
    }

    @Test
    void closingOneChannelLeavesTheOthersAlone() throws Exception {
        NetConfig lingering = resilient().closeLinger(Duration.ofMillis(500)).build();
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, lingering, accepted::add)) {
            NetChannel doomed = transport.connect(server.localAddress(), lingering);
            NetChannel doomedPeer = accepted.poll(5, TimeUnit.SECONDS);
            NetChannel busy = transport.connect(server.localAddress(), lingering);
            NetChannel busyPeer = accepted.poll(5, TimeUnit.SECONDS);
            AtomicBoolean stop = new AtomicBoolean();
            Thread echo = NetChannelTest.ownerThread("echo", () -> {
                Traffic.Echo e = new Traffic.Echo(busyPeer);
                Traffic.Idle idle = new Traffic.Idle();
                while (!stop.get()) {
                    idle.after(e.pump() > 0);
                }
            });
            publish(doomed, 10); // its peer never polls: this close runs into its linger
            doomed.close();
            Traffic.Checker checker = new Traffic.Checker();
            Traffic.sendAndCheck(busy, 20_000, checker, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            CloseResult r = doomed.closeFuture().get(30, TimeUnit.SECONDS);
            assertThat(r.unconfirmedFrames()).isEqualTo(10);
            Traffic.sendAndCheck(busy, 20_000, checker, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            stop.set(true);
            echo.join();
            assertThat(checker.received()).isEqualTo(40_000);
            assertThat(busy.isOpen()).isTrue();
            assertThat(busyPeer.isOpen()).isTrue();
            assertThat(busy.resumes()).isZero();
            assertThat(busy.closeFuture()).isNotDone();
            // The doomed channel's peer holds its 10 frames until polled, then reports the close.
            Traffic.Checker late = new Traffic.Checker();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (doomedPeer.isOpen() && System.nanoTime() < until) {
                if (doomedPeer.poll(late, 100) == 0) {
                    Thread.sleep(1);
                }
            }
            assertThat(late.received()).isEqualTo(10);
            assertThat(doomedPeer.isOpen()).isFalse();
            busy.close();
            assertThat(busy.closeFuture().get(30, TimeUnit.SECONDS).allConfirmed()).isTrue();
        }
    }

    @Test
    void closeLingerIsValidated() {
        assertThatThrownBy(() -> Traffic.config().closeLinger(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closeLinger");
        assertThatThrownBy(() -> Traffic.config().closeLinger(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closeLinger");
        assertThat(Traffic.config().build().closeLinger()).isEqualTo(Duration.ofSeconds(5));
    }

    /** Publishes frames 1..n as the window allows. */
    private static void publish(NetChannel ch, long n) {
        long sent = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Traffic.Idle idle = new Traffic.Idle();
        while (sent < n) {
            boolean busy = false;
            for (int room = ch.writableFrames(); room > 0 && sent < n; room--) {
                Traffic.send(ch, ++sent);
                busy = true;
            }
            idle.after(busy);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could publish only " + sent + " of " + n);
            }
        }
    }

    /** An owner thread that polls {@code ch} with an exact-sequence checker until the channel reports closed. */
    static final class Reader {
        final Traffic.Checker checker = new Traffic.Checker();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        Reader(NetChannel ch) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            thread = NetChannelTest.ownerThread("reader", () -> {
                try {
                    Traffic.Idle idle = new Traffic.Idle();
                    while (ch.isOpen()) {
                        idle.after(ch.poll(checker, 1024) > 0);
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("still open after receiving " + checker.received());
                        }
                    }
                    assertThat(ch.poll(checker, 1024)).as("frames after isOpen() turned false").isZero();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        void join() throws InterruptedException {
            thread.join();
        }
    }
}
