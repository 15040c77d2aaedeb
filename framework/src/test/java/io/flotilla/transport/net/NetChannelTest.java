package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Echo, streaming and back-pressure between a client and a server over loopback TCP, across real threads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetChannelTest {

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

    @Test
    void echoesTwoHundredThousandFramesInOrder() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, Traffic.config().build(), accepted::add);
                NetChannel client = transport.connect(server.localAddress(), Traffic.config().build())) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            assertThat(serverEnd).isNotNull();
            assertThat(serverEnd.sessionId()).isEqualTo(client.sessionId());
            AtomicBoolean stop = new AtomicBoolean();
            Thread echo = ownerThread("echo", () -> {
                Traffic.Echo e = new Traffic.Echo(serverEnd);
                Traffic.Idle idle = new Traffic.Idle();
                while (!stop.get()) {
                    idle.after(e.pump() > 0);
                }
            });
            Traffic.Checker checker = new Traffic.Checker();
            Traffic.sendAndCheck(client, 200_000, checker, System.nanoTime() + TimeUnit.SECONDS.toNanos(25));
            stop.set(true);
            echo.join();
            assertThat(checker.received()).isEqualTo(200_000);
            assertThat(client.resumes()).isZero();
        }
    }

    @Test
    void streamsBothWaysAtOnce() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        NetConfig small = Traffic.config().ringFrames(256).maxBatchFrames(32).build();
        try (NetServer server = transport.listen(ANY_LOOPBACK, small, accepted::add);
                NetChannel client = transport.connect(server.localAddress(), small)) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            long n = 150_000;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] sides = {
                ownerThread("client", () -> stream(client, n, deadline, failure)),
                ownerThread("server", () -> stream(serverEnd, n, deadline, failure)),
            };
            for (Thread t : sides) {
                t.join();
            }
            assertThat(failure.get()).isNull();
        }
    }

    /** Sends n numbered frames and checks n numbered frames from the peer, interleaved, on one thread. */
    private static void stream(NetChannel ch, long n, long deadline, AtomicReference<Throwable> failure) {
        try {
            Traffic.Checker checker = new Traffic.Checker();
            long sent = 0;
            Traffic.Idle idle = new Traffic.Idle();
            while (sent < n || checker.received() < n) {
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

    @Test
    void theOwnersHotPathAllocatesNothingPerFrame() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, Traffic.config().build(), accepted::add);
                NetChannel client = transport.connect(server.localAddress(), Traffic.config().build())) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            AtomicBoolean stop = new AtomicBoolean();
            Thread echo = ownerThread("echo", () -> {
                Traffic.Echo e = new Traffic.Echo(serverEnd);
                Traffic.Idle idle = new Traffic.Idle();
                while (!stop.get()) {
                    idle.after(e.pump() > 0);
                }
            });
            Traffic.Checker checker = new Traffic.Checker();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
            Traffic.sendAndCheck(client, 20_000, checker, deadline); // warm-up: JIT, queue chunks
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long me = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(me);
            Traffic.sendAndCheck(client, 100_000, checker, deadline);
            long allocated = threads.getThreadAllocatedBytes(me) - before;
            stop.set(true);
            echo.join();
            // 100k frames out and back; what is left is amortised hand-off queue chunks, far below a byte a frame.
            System.out.println("owner thread allocated " + allocated + " bytes for 100000 echoed frames");
            assertThat(allocated).as("bytes allocated by the owner for 100k frames each way").isLessThan(50_000);
        }
    }

    @Test
    void backPressureCountsUnacknowledgedFrames() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        NetConfig serverConfig = Traffic.config().ringFrames(64).build();
        NetConfig clientConfig = Traffic.config().ringFrames(128).build();
        try (NetServer server = transport.listen(ANY_LOOPBACK, serverConfig, accepted::add);
                NetChannel client = transport.connect(server.localAddress(), clientConfig)) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            // The window is the smaller ring: the server's 64-frame receive ring.
            assertThat(client.capacity()).isEqualTo(64);
            assertThat(serverEnd.capacity()).isEqualTo(64);
            long sent = 0;
            while (client.writableFrames() > 0) {
                Traffic.send(client, ++sent);
            }
            assertThat(sent).isEqualTo(64);
            Thread.sleep(200); // the server does not poll: nothing can be acknowledged, the window stays shut
            assertThat(client.writableFrames()).isZero();

            Traffic.Checker checker = new Traffic.Checker();
            assertThat(serverEnd.poll(checker, 1000)).isEqualTo(64);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (client.writableFrames() < 64 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertThat(client.writableFrames()).isEqualTo(64);
        }
    }

    /**
     * The bulk calls a binding makes (tryClaim, publish of a whole frame, read of a whole frame) carry the same frame
     * as the single-word calls: words past the count read as zero though the ring slot held a full frame before, and
     * tryClaim's "no room" (null) is only ever temporary: the window reopens as the peer reads.
     */
    @Test
    void bulkCallsCarryWholeFramesAndZeroTheRest() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        NetConfig config = Traffic.config().ringFrames(64).build();
        try (NetServer server = transport.listen(ANY_LOOPBACK, config, accepted::add);
                NetChannel client = transport.connect(server.localAddress(), config)) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            long control = io.flotilla.frame.ControlWord.of(io.flotilla.frame.ControlWord.FIRST_USER_MESSAGE, 0, true,
                    0);
            long[] got = new long[8];
            java.util.List<String> mismatches = new java.util.ArrayList<>();
            long[] received = {0};
            io.flotilla.frame.FrameHandler check = frame -> {
                long n = received[0]++;
                got[7] = frame.read(got, 0);
                long[] expected = n % 2 == 0 ? new long[] {n, 1, 2, 3, 4, 5, 6, control}
                        : new long[] {n, 1, 0, 0, 0, 0, 0, control};
                if (!java.util.Arrays.equals(got, expected)) {
                    mismatches.add(n + ": " + java.util.Arrays.toString(got));
                }
            };
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (long n = 0; n < 300; n++) {
                io.flotilla.frame.FrameWriter w;
                while ((w = client.tryClaim()) == null) {
                    // No assertion on writableFrames here: the peer's acknowledgements arrive on the transport's own
                    // thread, so the window may reopen between the null and the next look.
                    serverEnd.poll(check, 64);
                    assertThat(System.nanoTime()).as("window reopened in time").isLessThan(deadline);
                }
                long[] words = {-1, n, 1, 2, 3, 4, 5, 6};
                w.publish(control, words, 1, n % 2 == 0 ? 7 : 2);
            }
            while (received[0] < 300 && System.nanoTime() < deadline) {
                serverEnd.poll(check, 64);
            }
            assertThat(received[0]).isEqualTo(300);
            assertThat(mismatches).isEmpty();
        }
    }

    @Test
    void closingOneEndClosesThePeerAfterItsFrames() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetServer server = transport.listen(ANY_LOOPBACK, Traffic.config().build(), accepted::add)) {
            NetChannel client = transport.connect(server.localAddress(), Traffic.config().build());
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            for (long s = 1; s <= 10; s++) {
                Traffic.send(client, s);
            }
            client.close();
            assertThat(client.isOpen()).isFalse();
            assertThat(client.writableFrames()).isZero();
            // The peer stays open until it has polled every frame published before the close.
            Traffic.Checker checker = new Traffic.Checker();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (serverEnd.isOpen() && System.nanoTime() < until) {
                if (serverEnd.poll(checker, 100) == 0) {
                    Thread.sleep(1);
                }
            }
            assertThat(serverEnd.isOpen()).isFalse();
            assertThat(checker.received()).isEqualTo(10);
            assertThat(serverEnd.closeReason()).contains("peer");
            CloseResult result = client.closeFuture().get(10, TimeUnit.SECONDS);
            assertThat(result.allConfirmed()).as(result.toString()).isTrue();
            assertThat(serverEnd.closeFuture().get(10, TimeUnit.SECONDS).reason()).contains("peer");
            assertThat(server.sessionCount()).isZero();
        }
    }

    @Test
    void nioAndEpollSpeakTheSameProtocol() throws Exception {
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetTransport nio = NetTransport.create(1, false);
                NetServer server = transport.listen(ANY_LOOPBACK, Traffic.config().build(), accepted::add);
                NetChannel client = nio.connect(server.localAddress(), Traffic.config().build())) {
            assertThat(nio.isNative()).isFalse();
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            Traffic.send(client, 1);
            Traffic.Checker checker = new Traffic.Checker();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (checker.received() < 1 && System.nanoTime() < until) {
                serverEnd.poll(checker, 1);
                Thread.sleep(1);
            }
            assertThat(checker.received()).isEqualTo(1);
        }
    }

    static Thread ownerThread(String name, Runnable body) {
        Thread t = new Thread(body, "owner-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }
}
