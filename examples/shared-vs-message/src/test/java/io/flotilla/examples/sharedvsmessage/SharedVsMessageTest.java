package io.flotilla.examples.sharedvsmessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SharedVsMessageTest {

    private static final Machine AMD4 = Machines.load("amd-4x4");
    private final SharedVsMessage scenario = new SharedVsMessage();

    private Measurement run(String series, int cores, long seed) {
        return scenario.run(new ScenarioContext(AMD4, "sim", series, cores, seed, true,
                Map.of("updates", "60", "warmup", "10"), () -> new SimPlatform(seed)));
    }

    @Test
    void messagesBeatContendedSharedLinesOnceSeveralCoresUpdate() {
        // the multikernel's argument (the paper's §2.2): lines every core updates cost more per core as cores are
        // added, while a message to the owner costs a round trip until the server's queue builds up
        assertThat(run("SHM1", 2, 1).cycles()).isLessThan(run("MSG1", 2, 1).cycles());
        assertThat(run("MSG1", 4, 1).cycles()).isLessThan(1.1 * run("MSG1", 2, 1).cycles());
        assertThat(run("SHM8", 8, 1).cycles()).isGreaterThan(1.5 * run("MSG8", 8, 1).cycles());
        assertThat(run("Server", 8, 1).cycles()).isPositive().isLessThan(run("MSG8", 8, 1).cycles());
    }

    @Test
    void isFoundAsAService() {
        assertThat(ServiceLoader.load(io.flotilla.scenario.Scenario.class).stream()
                .anyMatch(p -> p.type() == SharedVsMessage.class)).isTrue();
    }

    @Test
    void sharedUpdatesGetDearerWithCoresAndLines() {
        assertThat(run("SHM1", 16, 1).cycles()).isGreaterThan(2 * run("SHM1", 4, 1).cycles());
        assertThat(run("SHM8", 8, 1).cycles()).isGreaterThan(run("SHM1", 8, 1).cycles());
    }

    @Test
    void withManyCoresMoreLinesCostMoreEvenOnceEveryLineIsInAConvoy() {
        // from n <= cores on, each line visits every core once per round whatever n is; what still grows with n is
        // the links' load: every miss broadcasts probes and the home's memory answers it (probe-traffic)
        double shm2 = run("SHM2", 16, 1).cycles();
        double shm4 = run("SHM4", 16, 1).cycles();
        double shm8 = run("SHM8", 16, 1).cycles();
        assertThat(shm4).isGreaterThan(shm2);
        assertThat(shm8).isGreaterThan(shm4);
    }

    @Test
    void sameSeedSameMeasurementAndTrace() {
        assertThat(run("MSG8", 8, 7)).isEqualTo(run("MSG8", 8, 7));
        assertThat(run("SHM2", 8, 7)).isEqualTo(run("SHM2", 8, 7));
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> scenario.run(new ScenarioContext(AMD4, "sim", "SHM1", 4, 1, true,
                Map.of("updates", "ten"), () -> new SimPlatform(1)))).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("updates");
        assertThatThrownBy(() -> run("MSG4", 4, 1)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("MSG4");
    }
}
