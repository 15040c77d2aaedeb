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
            assertThat(m.timedMessages()).isEqualTo(600);
            long smallestRoundTrip = client.roundTrips.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(m.latencyPercentile(50)).isPositive();
            assertThat(m.latencyPercentile(0)).isLessThanOrEqualTo(smallestRoundTrip);
            assertThat(m.summary()).contains("600 messages sent, 600 received, 38400 bytes sent");
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
