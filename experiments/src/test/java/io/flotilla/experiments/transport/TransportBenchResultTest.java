package io.flotilla.experiments.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's JSON keeps its old keys and adds the 56-byte figures and the CPU pair; the pair is read from /sys. */
class TransportBenchResultTest {

    @Test
    void jsonKeepsTheEightByteKeysFirstAndAddsTheFullFrameAndThePair() {
        Map<String, Double> rtt = new LinkedHashMap<>(Map.of("floor", 120.0, "urpc", 171.0, "agrona", 140.0,
                "runtime", 230.0));
        Map<String, Double> mps = new LinkedHashMap<>(Map.of("urpc", 57.0, "agrona", 60.0));
        TransportBenchResult.Size full = new TransportBenchResult.Size();
        full.rttMedianNs().put("urpc", 190.0);
        full.rttP99Ns().put("urpc", 300.0);
        full.throughputMps().put("urpc", 48.0);
        full.throughputMps().put("agrona", Double.NaN);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("urpc_rtt_per_floor", 1.12345);
        ratios.put("urpc_tput_per_best_peer_56", Double.NaN);
        TransportBenchResult result = new TransportBenchResult(rtt, rtt, mps, full, ratios, true, 5, "test machine",
                "cpu 0 and cpu 1: shared \"L3\"");
        assertThat(result.toJson()).isEqualTo("{\"rtt_ns\": {\"floor\": 120.0, \"urpc\": 171.0, \"agrona\": 140.0,"
                + " \"jctools\": null, \"disruptor\": null, \"abq\": null, \"runtime\": 230.0}, \"throughput_mps\":"
                + " {\"urpc\": 57.0, \"agrona\": 60.0, \"jctools\": null, \"disruptor\": null, \"abq\": null,"
                + " \"runtime\": null}, \"rtt_ns_56\":"
                + " {\"urpc\": 190.0, \"agrona\": null, \"jctools\": null, \"disruptor\": null, \"abq\": null},"
                + " \"throughput_mps_56\": {\"urpc\": 48.0, \"agrona\": null, \"jctools\": null, \"disruptor\": null,"
                + " \"abq\": null}, \"round_ratios\": {\"urpc_rtt_per_floor\": 1.123, \"urpc_rtt_per_floor_2lines\": null,"
                + " \"urpc_rtt_per_best_peer\": null,"
                + " \"urpc_rtt_per_best_peer_56\": null, \"urpc_tput_per_best_peer\": null,"
                + " \"urpc_tput_per_best_peer_56\": null},"
                + " \"cpu_pair\": \"cpu 0 and cpu 1: shared \\\"L3\\\"\"}");
        assertThat(result.toTable()).contains("8-byte messages", "56-byte messages", "CPU pair: cpu 0 and cpu 1",
                "urpc_rtt_per_floor");
    }

    /**
     * Ratios are taken inside each round: a contestant that was slow in the rounds another was fast does not make
     * the ratio, and the best peer is chosen per round.
     */
    @Test
    void roundRatiosCompareInsideEachRoundAndTakeTheMedian() {
        RoundRatios ratios = new RoundRatios(3);
        record(ratios::roundTrip, "floor", 120, 240, 250); // round 0 fast, rounds 1 and 2 slow
        record(ratios::roundTrip, "urpc", 132, 270, 275);
        record(ratios::roundTrip, "floor-2lines", 120, 264, 250);
        record(ratios::roundTrip, "agrona", 150, 300, 320);
        record(ratios::roundTrip, "disruptor", 140, 400, 200);
        record(ratios::rate, "urpc/56", 50, 15, 14);
        record(ratios::rate, "disruptor/56", 40, 20, 10);
        record(ratios::rate, "agrona/56", 45, 5, Double.NaN);
        Map<String, Double> medians = ratios.medians();
        assertThat(medians.get("urpc_rtt_per_floor")).isCloseTo(1.1, within(1e-9)); // of 1.1, 1.125, 1.1
        assertThat(medians.get("urpc_rtt_per_floor_2lines")).isCloseTo(1.1, within(1e-9)); // of 1.1, 1.023, 1.1
        // best peer per round: 140 (Disruptor), 300 (Agrona), 200 (Disruptor); ratios 0.943, 0.9, 1.375
        assertThat(medians.get("urpc_rtt_per_best_peer")).isCloseTo(132.0 / 140, within(1e-9));
        // best peer per round: 45 (Agrona), 20 and 10 (Disruptor); ratios 1.111, 0.75, 1.4
        assertThat(medians.get("urpc_tput_per_best_peer_56")).isCloseTo(50.0 / 45, within(1e-9));
        assertThat(medians.get("urpc_tput_per_best_peer")).isNaN(); // no 8-byte rates recorded
        assertThat(medians.get("urpc_rtt_per_best_peer_56")).isNaN();
        assertThat(RoundRatios.median(new double[] {1, Double.NaN, 3, 4}, new double[] {1, 1, 1, 1})).isEqualTo(3.0);
        assertThat(RoundRatios.median(new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1})).isEqualTo(2.5);
        assertThat(ratios.medians().keySet()).containsExactlyElementsOf(RoundRatios.KEYS);
    }

    private interface Figure {
        void put(String key, int round, double value);
    }

    private static void record(Figure figure, String key, double... perRound) {
        for (int r = 0; r < perRound.length; r++) {
            figure.put(key, r, perRound[r]);
        }
    }

    @Test
    void wordsDifferAcrossAMessageAndATornOneIsCaught() {
        assertThat(Contestant.word(5, 0)).isEqualTo(5);
        assertThat(Contestant.word(5, 1)).isNotEqualTo(Contestant.word(5, 2)).isNotEqualTo(Contestant.word(6, 1));
        Contestant.expectWord(5, 3, Contestant.word(5, 3));
        assertThatThrownBy(() -> Contestant.expectWord(5, 3, Contestant.word(4, 3))).hasMessageContaining("torn");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n");
    }

    @Test
    void describesTheCpuPairFromSys(@TempDir Path sys) throws IOException {
        for (int cpu = 0; cpu < 4; cpu++) {
            Path c = sys.resolve("cpu" + cpu);
            write(c.resolve("topology/physical_package_id"), cpu < 3 ? "0" : "1");
            write(c.resolve("topology/thread_siblings_list"), cpu < 2 ? "0-1" : String.valueOf(cpu));
            write(c.resolve("cache/index0/level"), "1");
            write(c.resolve("cache/index0/type"), "Data");
            write(c.resolve("cache/index0/shared_cpu_list"), cpu < 2 ? "0-1" : String.valueOf(cpu));
            write(c.resolve("cache/index2/level"), "2");
            write(c.resolve("cache/index2/type"), "Unified");
            write(c.resolve("cache/index2/shared_cpu_list"), cpu < 2 ? "0-1" : String.valueOf(cpu));
            write(c.resolve("cache/index3/level"), "3");
            write(c.resolve("cache/index3/type"), "Unified");
            write(c.resolve("cache/index3/shared_cpu_list"), cpu < 3 ? "0-2" : "3");
            write(c.resolve("cache/index3/size"), "32768K");
        }
        assertThat(CpuPair.describe(sys, 0, 1)).contains("SMT siblings");
        assertThat(CpuPair.describe(sys, 2, 1)).contains("shared L3 (32768K), separate L2");
        assertThat(CpuPair.describe(sys, 2, 3)).contains("different packages");
        assertThat(CpuPair.describe(sys.resolve("nothing"), 0, 1)).contains("relation unknown");
    }
}
