package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every machine Flotilla knows by name boots in sim and binds across it: a dispatcher on the last core exports a
 * name, one on core 0 binds to it through both monitors and exchanges one frame. The last core is the far end of
 * the machine (another package, or the far corner of a mesh), so the bind crosses the interconnect where it can.
 * {@code host} is included: discovering it from {@code /sys} must give a machine sim can run too.
 */
class BootEveryMachineTest {

    /** The whole sweep, mesh-1024 included, stays within a few seconds of wall time. */
    private static final long BUDGET_MILLIS = 5_000;
    private static long spentNanos;

    @BeforeAll
    static void resetBudget() {
        spentNanos = 0;
    }

    static Stream<String> machines() {
        return Machines.list().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void bootsAndBindsCoreZeroToTheLastCore(String name) {
        Machine machine = Machines.load(name, warning -> { });
        int last = machine.coreCount() - 1;
        var server = new PingPong.Server("boot-check");
        var client = new PingPong.Client("boot-check", 1, true);

        long start = System.nanoTime();
        try (Multikernel mk = Multikernel.builder(machine, new SimPlatform(1)).out(null)
                .dispatcher(last, server)
                .dispatcher(0, client)
                .boot()) {
            mk.run(Duration.ofSeconds(1));
            spentNanos += System.nanoTime() - start;

            assertThat(mk.failures()).as("handler failures on %s", name).isEmpty();
            assertThat(client.error).as("bind error on %s", name).isNull();
            assertThat(client.roundTrips).as("round trips on %s", name).hasSize(1);
            assertThat(server.served).isEqualTo(1);
            if (last > 0) {
                // Core 0 and the last core are distinct, so the frame crossed between cores: it cost some cycles.
                assertThat(client.roundTrips.get(0)).isPositive();
            }
        }
    }

    @AfterAll
    static void theSweepWasQuick() {
        assertThat(spentNanos / 1_000_000).as("wall time to boot and bind on every machine").isLessThan(BUDGET_MILLIS);
    }
}
