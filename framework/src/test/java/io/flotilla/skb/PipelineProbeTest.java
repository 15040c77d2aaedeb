package io.flotilla.skb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Pipelined throughput per pair class: the classes of the paper's machines, and a smoke run on this host. */
class PipelineProbeTest {

    @Test
    void eachClassIsRepresentedByCoreZeroAndItsLowestPartner() {
        // Table 2's pairs on the 8x4 (shared L3, one hop, two hops), and its farthest package, three hops away.
        assertThat(PipelineProbe.classes(Machines.load("amd-8x4"))).containsExactly(
                new PipelineProbe.PairClass("shared L3", 0, 1), new PipelineProbe.PairClass("1 hop", 0, 4),
                new PipelineProbe.PairClass("2 hops", 0, 8), new PipelineProbe.PairClass("3 hops", 0, 12));
        // The Intel's L2 is shared by pairs of cores; its other core of the package shares none.
        assertThat(PipelineProbe.classes(Machines.load("intel-2x4"))).startsWith(
                new PipelineProbe.PairClass("shared L2", 0, 1), new PipelineProbe.PairClass("same package", 0, 2));
    }

    @Test
    void aTrialCostsItsIntervalOverItsMessagesAndTheMedianStandsForThem() {
        long[] perMessage = PipelineProbe.perMessage(new long[] {1_000, 3_000, 5_500, 50_000}, 10);
        assertThat(perMessage).containsExactly(200_000, 250_000, 4_450_000); // picoseconds
        assertThat(PipelineProbe.median(new long[] {1, 2, 30})).isEqualTo(2);
        assertThat(PipelineProbe.median(new long[] {1, 2, 4, 30})).isEqualTo(3);
    }

    @Test
    void smokeOnThisHostMeasuresOrSkipsEveryClassWithinTheBudget() {
        Machine host = Machines.load("host");
        assumeThat(host.coreCount()).as("a host with two cores").isGreaterThanOrEqualTo(2);
        Duration budget = Duration.ofSeconds(2);

        PipelineProbe.Result r = PipelineProbe.of(host).withSizes(2_000, 2_000, 3).run(budget);

        assertThat(r.measured().size() + r.skipped().size()).isEqualTo(PipelineProbe.classes(host).size());
        assertThat(r.elapsed()).isLessThan(budget.plusMillis(500));
        for (PipelineProbe.Pipelined p : r.measured()) {
            assertThat(p.minCycles()).isPositive().isLessThanOrEqualTo(p.cycles());
            assertThat(p.trials()).isEqualTo(3);
        }
        assertThat(r.summary()).startsWith("pipelined: " + r.measured().size() + " of ");
    }

    @Test
    void badSizesAndBudgetsAreRefused() {
        PipelineProbe p = PipelineProbe.of(Machines.load("amd-2x2"));
        assertThatThrownBy(() -> p.withSizes(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.run(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.run(Duration.ZERO).skipped()).hasSize(PipelineProbe.classes(Machines.load("amd-2x2")).size());
    }
}
