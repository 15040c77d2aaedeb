package io.flotilla.experiments.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flotilla.experiments.runner.ExperimentCatalog;
import io.flotilla.experiments.runner.ExperimentRunner;
import io.flotilla.experiments.runner.ExperimentSpec;
import io.flotilla.experiments.runner.PointResult;
import io.flotilla.experiments.runner.PublishedPoint;
import io.flotilla.experiments.runner.RunOptions;
import io.flotilla.experiments.runner.ScenarioCatalog;
import io.flotilla.machine.Machines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Table 1 and Table 2 experiments, run quick on the sim platform: every published latency is met within
 * 10 % (they are the cost model's calibration targets), and the throughput rows are real measurements with the
 * msgs/kcycle column consistent with the cycles per message, also within 10 % of the published pipelined cost.
 */
class CalibrationTablesTest {

    @TempDir
    Path dir;

    private final ExperimentRunner runner = new ExperimentRunner(ScenarioCatalog.discover());
    private final ExperimentCatalog catalog = new ExperimentCatalog(getClass().getClassLoader(), runner.loader());

    private List<String> skipped = List.of();

    private List<PointResult> runQuick(String name) throws IOException {
        ExperimentSpec spec = catalog.resolve(name);
        var outcome = runner.run(spec, new RunOptions(true, dir, null, null, null, "test"));
        skipped = outcome.skipped();
        return outcome.rows();
    }

    private static void assertWithinTenPercent(ExperimentSpec spec, List<PointResult> rows, String suffix) {
        int checked = 0;
        for (PointResult r : rows) {
            if (!r.label().endsWith(suffix)) {
                continue;
            }
            for (PublishedPoint p : spec.published().getOrDefault(r.label(), List.of())) {
                assertThat(r.cycles()).as(r.label()).isCloseTo(p.cycles(), within(p.cycles() * 0.10));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(0);
    }

    @Test
    void table1LrpcLatencyMatchesThePaper() throws IOException {
        List<PointResult> rows = runQuick("table1-lrpc");
        assertThat(rows).hasSize(4);
        assertWithinTenPercent(catalog.resolve("table1-lrpc"), rows, "lrpc");
        assertThat(rows).allSatisfy(r -> assertThat(r.traceHash()).isNotEmpty());
    }

    @Test
    void table2UrpcLatencyMatchesThePaperAndThroughputIsMeasured() throws IOException {
        List<PointResult> rows = runQuick("table2-urpc");
        ExperimentSpec spec = catalog.resolve("table2-urpc");
        assertWithinTenPercent(spec, rows, " latency");
        // Classes a machine lacks are skipped, not failed: the 2x2 AMD's cores share no cache, the 8x4's package
        // has no pair without a shared L3.
        assertThat(skipped).contains("series 'shared latency' on amd-2x2: the scenario cannot measure it there",
                "series 'same-package throughput' on amd-8x4: the scenario cannot measure it there");
        assertThat(rows).hasSize(4 * 2 * 4 - skipped.size());
        // Every published row was measured: the pair classes exist where Table 2 has them.
        for (String label : spec.published().keySet()) {
            assertThat(rows).extracting(PointResult::label).contains(label);
        }
        for (PointResult r : rows) {
            if (r.label().endsWith(" throughput")) {
                assertThat(r.cycles()).isPositive();
                // Not a calibration target: docs/experiments.md records +8 % to -25 %; this guards that state.
                for (PublishedPoint p : spec.published().getOrDefault(r.label(), List.of())) {
                    assertThat(r.cycles()).as(r.label()).isCloseTo(p.cycles(), within(p.cycles() * 0.10));
                }
                assertThat(r.extra().get("msgs_per_kcycle")).isCloseTo(1000 / r.cycles(), within(0.01));
            } else {
                // Half a round trip, and the round trip is kept beside it.
                assertThat(r.extra().get("rtt")).isCloseTo(2 * r.cycles(), within(0.01));
            }
        }
    }

    @Test
    void pairClassesFollowTheTopology() {
        var intel = Machines.load("intel-2x4");
        assertThat(CorePairClass.SHARED.partnerOfCoreZero(intel)).isEqualTo(1);
        assertThat(CorePairClass.SAME_PACKAGE.partnerOfCoreZero(intel)).isEqualTo(2);
        assertThat(CorePairClass.ONE_HOP.partnerOfCoreZero(intel)).isEqualTo(4);
        assertThat(CorePairClass.TWO_HOP.partnerOfCoreZero(intel)).isEqualTo(-1);
        var amd = Machines.load("amd-8x4");
        assertThat(CorePairClass.SHARED.partnerOfCoreZero(amd)).isEqualTo(1);
        assertThat(amd.hops(0, CorePairClass.ONE_HOP.partnerOfCoreZero(amd))).isEqualTo(1);
        assertThat(amd.hops(0, CorePairClass.TWO_HOP.partnerOfCoreZero(amd))).isEqualTo(2);
        assertThat(CorePairClass.SAME_PACKAGE.partnerOfCoreZero(amd)).isEqualTo(-1);
        var small = Machines.load("amd-2x2");
        assertThat(CorePairClass.SAME_PACKAGE.partnerOfCoreZero(small)).isEqualTo(1);
        assertThat(CorePairClass.SHARED.partnerOfCoreZero(small)).isEqualTo(-1);
    }
}
