package io.flotilla.skb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.flotilla.machine.Machines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Online measurement on this machine's real cores (on a 2-core box: the one pair 0-1). */
class RttProbeTest {

    @Test
    void measuresTheHostsPairsWithinTheBudgetAndTheSkbAnswersWithThem() {
        Skb host = Skb.of(Machines.load("host"));
        int cores = host.machine().coreCount();
        assumeThat(cores).as("a host with two cores").isGreaterThanOrEqualTo(2);
        Duration budget = Duration.ofSeconds(2);

        RttProbe.Result result = RttProbe.of(host).run(budget);

        assertThat(result.pairs()).isEqualTo(cores * (cores - 1) / 2);
        assertThat(result.measured().size() + result.skipped().size()).isEqualTo(result.pairs());
        assertThat(result.measured()).isNotEmpty();
        // Bounded: at most a thread start and join past the budget.
        assertThat(result.elapsed()).isLessThan(budget.plusMillis(500));
        if (cores == 2) {
            assertThat(result.complete()).as(result.summary()).isTrue();
        }
        for (RttProbe.PairRtt p : result.measured()) {
            assertThat(p.roundTrips()).isBetween(RttProbe.MIN_ROUND_TRIPS, RttProbe.DEFAULT_ROUND_TRIPS);
            assertThat(p.min()).isPositive().isLessThanOrEqualTo(p.avg()).isLessThanOrEqualTo(p.median());
            assertThat(p.median()).isLessThanOrEqualTo(p.max());
            assertThat(p.avg()).isLessThanOrEqualTo(p.max());
            Map<String, Object> measured = Map.of("Avg", p.avg(), "Var", p.var(), "Min", p.min(), "Max", p.max());
            assertThat(host.query("message_rtt(" + p.a() + ", " + p.b() + ", Avg, Var, Min, Max)"))
                    .containsExactly(measured);
            assertThat(host.query("message_rtt(" + p.b() + ", " + p.a() + ", Avg, Var, Min, Max)"))
                    .containsExactly(measured);
        }
        assertThat(result.summary()).startsWith("measured " + result.measured().size() + " of " + result.pairs());
    }

    @Test
    void aZeroBudgetMeasuresNothingAndSaysSo() {
        Skb amd = Skb.of(Machines.load("amd-2x2"));
        List<Map<String, Object>> modelled = amd.query("message_rtt(0, 1, Avg, Var, Min, Max)");

        RttProbe.Result result = RttProbe.measure(amd, Duration.ZERO);

        assertThat(result.measured()).isEmpty();
        assertThat(result.skipped()).hasSize(6).contains(new RttProbe.CorePair(0, 1));
        assertThat(result.complete()).isFalse();
        assertThat(result.pinned()).isFalse();
        assertThat(result.summary()).isEqualTo("measured 0 of 6 core pairs in " + result.elapsed().toMillis()
                + " ms (budget 0 ms); 6 skipped: the budget ran out");
        assertThat(amd.query("message_rtt(0, 1, Avg, Var, Min, Max)")).isEqualTo(modelled);
    }

    @Test
    void aBudgetTooSmallForEveryPairSamplesPairsAndStopsInTime() {
        Skb amd = Skb.of(Machines.load("amd-8x4")); // 496 pairs, most of them not host CPUs: unpinned
        Duration budget = Duration.ofMillis(150);

        RttProbe.Result result = RttProbe.of(amd).withRoundTrips(RttProbe.MIN_ROUND_TRIPS).run(budget);

        assertThat(result.pairs()).isEqualTo(496);
        assertThat(result.skipped()).isNotEmpty();
        assertThat(result.measured().size() + result.skipped().size()).isEqualTo(496);
        assertThat(result.elapsed()).isLessThan(budget.plusMillis(500));
        assertThat(result.summary()).contains("skipped: the budget ran out");
    }

    @Test
    void statisticsAreInCyclesAtTheMachinesClock() {
        RttProbe.PairRtt p = RttProbe.stats(new RttProbe.CorePair(0, 1), new long[] {100, 200, 300, 0}, 3, true, 2.0);
        assertThat(p).isEqualTo(new RttProbe.PairRtt(0, 1, 3, true, 400, 40_000, 200, 600, 400));
        // The median is the typical trip where one descheduled trip drags the mean far off.
        RttProbe.PairRtt skewed = RttProbe.stats(new RttProbe.CorePair(0, 1), new long[] {100, 110, 120, 100_000},
                4, true, 1.0);
        assertThat(skewed.median()).isEqualTo(115);
        assertThat(skewed.avg()).isEqualTo(25_083);
    }

    @Test
    void pairsAreEveryUnorderedPairInARepeatableOrder() {
        assertThat(RttProbe.pairs(4)).hasSize(6).doesNotHaveDuplicates()
                .allMatch(p -> p.a() < p.b()).isEqualTo(RttProbe.pairs(4));
        assertThat(RttProbe.pairs(1)).isEmpty();
    }

    @Test
    void readsLinuxCpuLists() {
        assertThat(io.flotilla.machine.CpuList.parse("0-3,8,10-11")).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(io.flotilla.machine.CpuList.parse("0")).containsExactly(0);
    }
}
