package io.flotilla.experiments.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The bench's contestants in JVMs of their own: real child JVMs, real phases, and a child that fails or is killed
 * reported once, naming the contestant.
 */
class ForkedLaneTest {

    @Test
    void eachContestantRunsItsPhasesInAChildJvm() {
        List<Lane> lanes = ForkedLane.startAll(List.of("floor", "urpc/56"), 0, 1);
        List<ProcessHandle> children = processes(lanes);
        try {
            assertThat(children).allMatch(ProcessHandle::isAlive).doesNotContain(ProcessHandle.current());
            Lane floor = lanes.get(0);
            Lane urpc = lanes.get(1);
            assertThat(floor.label()).isEqualTo("floor");
            assertThat(floor.measuresThroughput()).isFalse();
            assertThat(urpc.key()).isEqualTo("urpc");
            assertThat(urpc.words()).isEqualTo(Contestant.FULL);
            assertThat(urpc.measuresThroughput()).isTrue();

            Histogram rtt = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
            urpc.roundTrips(50, rtt);
            long first = rtt.getTotalCount();
            assertThat(first).isPositive();
            urpc.roundTrips(50, rtt);
            assertThat(rtt.getTotalCount()).as("a phase adds to the histogram").isGreaterThan(first);

            Histogram batches = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            double mps = urpc.oneWay(100, batches);
            assertThat(mps).isPositive();
            assertThat(batches.getTotalCount()).isPositive();
        } finally {
            lanes.forEach(Lane::close);
        }
        assertThat(children).as("closed lanes leave no JVM behind").noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aContestantThatCannotBeMadeIsNamedAndNoJvmIsLeft() {
        assertThatThrownBy(() -> ForkedLane.startAll(List.of("floor", "no-such-queue"), 0, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("contestant no-such-queue: no contestant 'no-such-queue'");
        assertThat(ProcessHandle.current().children()).as("the other contestant's JVM was stopped")
                .noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void anUnknownLabelInOnlyIsRefusedNamingItAndTheLabels() {
        assertThatThrownBy(() -> Contestants.chosen(List.of("urpc", "urcp/56")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no contestant 'urcp/56'; the contestants are floor, ")
                .hasMessageContaining("urpc/56");
        assertThat(Contestants.chosen(List.of("urpc/56", "floor"))).as("registry order, not the order asked")
                .containsExactly("floor", "urpc/56");
        assertThat(Contestants.chosen(List.of())).contains("urpc", "urpc/56", "disruptor/56")
                .doesNotContain("urpc-epoch", "urpc-packed/56", "floor-ring");
    }

    @Test
    void aKilledContestantJvmIsReportedWithItsExitStatus() throws Exception {
        List<Lane> lanes = ForkedLane.startAll(List.of("floor"), 0, 1);
        try {
            ProcessHandle child = processes(lanes).get(0);
            child.destroyForcibly();
            child.onExit().get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> lanes.get(0).roundTrips(50, new Histogram(3)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("contestant floor: its JVM exited with status ");
        } finally {
            lanes.forEach(Lane::close);
        }
    }

    @Test
    void aWholeRunInChildJvmsAndInOneJvmReportsTheSameContestants() {
        for (boolean oneJvm : new boolean[] {false, true}) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            TransportBenchResult result = TransportBench.run(new TransportBench.Plan(50, 1, 50, oneJvm),
                    List.of("floor", "urpc", "urpc/56"), new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertThat(progress.toString(StandardCharsets.UTF_8))
                    .contains(oneJvm ? "all contestants in this JVM" : "one JVM per contestant")
                    .contains("round 1/1 Mmsg/s: urpc ").contains("round 1/1 rtt p50 ns: floor ");
            assertThat(result.toJson()).contains("\"rtt_ns\": {\"floor\": ").contains("\"throughput_mps_56\": {\"urpc\": ");
            assertThat(result.rttMedianNs().get("urpc")).isPositive();
            assertThat(result.full().throughputMps().get("urpc")).isPositive();
        }
        assertThat(ProcessHandle.current().children()).noneMatch(ProcessHandle::isAlive);
    }

    private static List<ProcessHandle> processes(List<Lane> lanes) {
        return lanes.stream().map(lane -> ((ForkedLane) lane).process()).toList();
    }
}
