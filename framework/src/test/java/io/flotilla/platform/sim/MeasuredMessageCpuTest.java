package io.flotilla.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A machine's own measured message CPU cost ({@code measured message-cpu N}) replaces the calibrated 76 cycles. */
class MeasuredMessageCpuTest {

    private static final String TWO_CORES = "clock 2 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1 }"
            + " measured 0 -- 1 latency 600";

    @Test
    void aMachineWithoutOneGetsTheDefault() {
        Machine amd = Machines.load("amd-8x4");
        assertThat(amd.messageCpuCycles()).isEmpty();
        assertThat(CostModel.calibrated(amd).messageCpuCycles()).isEqualTo(CostModel.DEFAULT_MESSAGE_CPU_CYCLES)
                .isEqualTo(76);
    }

    @Test
    void aMeasuredCostIsEachEndsShareAndTheLineTransferIsWhatIsLeftOfTheLatency(@TempDir Path dir)
            throws Exception {
        Machine measured = load(dir, "m", TWO_CORES + " measured message-cpu 200");
        Machine plain = load(dir, "p", TWO_CORES);
        CostModel model = CostModel.calibrated(measured);
        assertThat(model.messageCpuCycles()).isEqualTo(200);

        // A one-frame message is still the latency: two ends' CPU work and two transfers, (600 - 2 x 200) / 2 each.
        assertThat(new Interconnect(measured, 2, model).line(0, 1)).isEqualTo(100);
        assertThat(new Interconnect(plain, 2, CostModel.calibrated(plain)).line(0, 1)).isEqualTo((600 - 2 * 76) / 2);
        // Switched off, the mechanism charges nothing, measured or not.
        assertThat(model.without(Mechanism.MESSAGE_CPU).messageCpu()).isZero();
    }

    private static Machine load(Path dir, String name, String body) throws Exception {
        Path file = dir.resolve(name + ".topo");
        Files.writeString(file, "machine \"" + name + "\" { " + body + " }");
        return Machines.load(file.toString());
    }
}
