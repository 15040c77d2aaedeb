package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same dispatchers as {@link SimKernelTest}, on real threads of this host. */
class PinnedKernelTest {

    private static final Machine AMD = Machines.load("amd-8x4");

    @Test
    void pingPongOnTwoPinnedCores() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two host CPUs");
        PingPong.Server server = new PingPong.Server("ping");
        PingPong.Client client = new PingPong.Client("ping", 200, true);
        try (Multikernel mk = Multikernel.builder(AMD, new PinnedPlatform()).cores(2)
                .dispatcher(0, server).dispatcher(1, client).boot()) {
            mk.run(Duration.ofSeconds(20));
            assertThat(client.error).isNull();
            assertThat(client.done).isTrue();
            assertThat(client.roundTrips).hasSize(200).allSatisfy(rtt -> assertThat(rtt).isPositive());
            assertThat(mk.failures()).isEmpty();
            assertThat(mk.traceHash()).isEmpty();
        }
    }

    @Test
    void pinnedCountsEveryMessageAndItsLatency() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two host CPUs");
        PingPong.Server server = new PingPong.Server("ping");
        PingPong.Client client = new PingPong.Client("ping", 300, true);
        try (Multikernel mk = Multikernel.builder(AMD, new PinnedPlatform()).cores(2)
                .dispatcher(0, server).dispatcher(1, client).boot()) {
            mk.run(Duration.ofSeconds(20));
            assertThat(client.roundTrips).hasSize(300);
            Metrics m = mk.metrics();
            // The bind's pings and pongs and nothing else: monitors talk through posts, not channels.
            assertThat(m.messagesSent(1)).isEqualTo(300);
            assertThat(m.messagesSent(0)).isEqualTo(300);
            assertThat(m.messagesReceived(0)).isEqualTo(300);
            // The client stops the kernel from the handler of the last pong, which was counted before it ran.
            assertThat(m.messagesReceived(1)).isEqualTo(300);
            assertThat(m.bytesSent()).isEqualTo(600L * 64);
            // Metrics alone: pinned times the messages whose frame sequence is a multiple of 64 (0, 64, ..., 256 of
            // the 300 one-frame messages each way).
            assertThat(m.timedMessages()).isEqualTo(2 * 5);
            // Each timed message's one-way latency lies inside its own round trip, so within the longest one (not the
            // shortest: only 10 messages are timed, the first of them cold, and the fastest round trip may be any).
            long longestRoundTrip = client.roundTrips.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(m.latencyPercentile(50)).isPositive();
            assertThat(m.latencyPercentile(0)).isLessThanOrEqualTo(longestRoundTrip);
            assertThat(m.summary()).contains("600 messages sent, 600 received, 38400 bytes sent");
        }
    }

    @Test
    void aTraceHearsEveryMessageTimed() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two host CPUs");
        PingPong.Server server = new PingPong.Server("ping");
        PingPong.Client client = new PingPong.Client("ping", 300, true);
        var timed = new java.util.concurrent.atomic.AtomicLong();
        var slices = new java.util.concurrent.atomic.AtomicLong();
        Tracer trace = new Tracer() { // draws everything: not content with a sample
            @Override
            public void received(int core, long flow, long sentAt, long time) {
                if (sentAt >= 0 && time >= sentAt) {
                    timed.incrementAndGet();
                }
            }

            @Override
            public void slice(int core, Dispatcher owner, String what, long start, long end) {
                slices.incrementAndGet();
            }
        };
        try (Multikernel mk = Multikernel.builder(AMD, new PinnedPlatform()).cores(2).tracer(trace)
                .dispatcher(0, server).dispatcher(1, client).boot()) {
            mk.run(Duration.ofSeconds(20));
            assertThat(client.roundTrips).hasSize(300);
            assertThat(mk.metrics().timedMessages()).as("the metrics beside a trace").isEqualTo(600);
        }
        // Monitor messages are traced too (kernel traffic): at least the workload's 600.
        assertThat(timed.get()).isGreaterThanOrEqualTo(600);
        assertThat(slices.get()).isPositive();
    }

    @Test
    void aHostedPlatformsCoresRunOnTheCallersThreads() {
        PingPong.Server server = new PingPong.Server("hosted");
        PingPong.Client client = new PingPong.Client("hosted", 100, false);
        PinnedPlatform platform = new PinnedPlatform(io.flotilla.channel.TransportRegistry.discover(), true, false, 1)
                .hosted();
        try (Multikernel mk = Multikernel.builder(AMD, platform).cores(2)
                .dispatcher(0, server).dispatcher(1, client).boot()) {
            assertThatThrownBy(() -> mk.run(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("runCore");
            // One thread takes both cores in turns: one turn of each, until the client has its round trips.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!client.done && System.nanoTime() < deadline) {
                for (int core = 0; core < 2; core++) {
                    boolean[] turned = {false};
                    platform.runCore(core, () -> {
                        boolean done = turned[0];
                        turned[0] = true;
                        return done;
                    });
                }
            }
            assertThat(client.error).isNull();
            assertThat(client.roundTrips).hasSize(100);
            assertThat(mk.metrics().messagesReceived(0)).isEqualTo(100);
            // A core stays with the thread that first ran it.
            Thread other = new Thread(() -> platform.runCore(0, () -> true));
            Throwable[] failure = new Throwable[1];
            other.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(failure[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("core 0 is run by");
        }
        assertThatThrownBy(() -> new PinnedPlatform().runCore(0, () -> true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("hosted");
    }

    @Test
    void anInterruptIsTakenOnTheTargetsNextTurnNotItsNextHousekeepingOne() {
        long[] taken = {0};
        Dispatcher sender = new Dispatcher() {};
        Dispatcher target = new Dispatcher() {
            {
                onInterrupt(0x41, (from, word) -> taken[0] = word);
            }
        };
        PinnedPlatform platform = new PinnedPlatform(io.flotilla.channel.TransportRegistry.discover(), true, false, 1)
                .hosted();
        try (Multikernel mk = Multikernel.builder(AMD, platform).cores(2)
                .dispatcher(0, sender).dispatcher(1, target).boot()) {
            platform.runTurn(0);
            platform.runTurn(1);
            sender.interrupt(1, 0x41, 42);
            // Turn 1 is no housekeeping turn (those are every 16th, or every 4th with nothing to do): a core takes
            // its interrupts on every turn, as hardware takes one at the next instruction.
            int[] turns = {0};
            int next = platform.runCore(1, 1, () -> turns[0]++ == 1);
            assertThat(next).isEqualTo(2);
            assertThat(taken[0]).isEqualTo(42);
            assertThat(mk.failures()).isEmpty();
        }
    }

    @Test
    void sameCoreBindOnPinnedUsesLrpc() {
        PingPong.Server server = new PingPong.Server("local");
        PingPong.Client client = new PingPong.Client("local", 50, true);
        try (Multikernel mk = Multikernel.builder(AMD, new PinnedPlatform()).cores(1)
                .dispatcher(0, server).dispatcher(0, client).boot()) {
            mk.run(Duration.ofSeconds(20));
            assertThat(client.error).isNull();
            assertThat(mk.failures()).isEmpty();
            assertThat(client.roundTrips).hasSize(50);
        }
    }

    @Test
    void failedBindAndCrashOnPinned() {
        List<BindException> errors = new ArrayList<>();
        List<HandlerFailure> failures = new ArrayList<>();
        Dispatcher d = new Dispatcher() {
            @Override
            protected void onStart() {
                bind("nobody", 200_000, (binding, error) -> {
                    errors.add(error);
                    throw new IllegalStateException("after the error");
                });
            }
        };
        try (Multikernel mk = Multikernel.builder(AMD, new PinnedPlatform()).cores(1)
                .onFailure(f -> {
                    synchronized (failures) {
                        failures.add(f);
                    }
                    f.cause(); // the listener runs on the failing core
                })
                .dispatcher(0, d).boot()) {
            mk.run(Duration.ofMillis(300));
        }
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("nobody"));
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.core()).isZero());
    }

    @Test
    void moreCoresThanTheHostIsRefusedUnlessOversubscribed() {
        int host = Runtime.getRuntime().availableProcessors();
        assumeTrue(host < AMD.coreCount(), "host has at least as many CPUs as the machine");
        assertThatThrownBy(() -> Multikernel.builder(AMD, new PinnedPlatform()).boot())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AMD.coreCount() + " cores")
                .hasMessageContaining(host + " CPUs")
                .hasMessageContaining("oversubscription");
        PinnedPlatform over = new PinnedPlatform(io.flotilla.channel.TransportRegistry.discover(), true, false, 1);
        try (Multikernel mk = Multikernel.builder(AMD, over).cores(host + 1).boot()) {
            assertThat(mk.coreCount()).isEqualTo(host + 1);
        }
    }
}
