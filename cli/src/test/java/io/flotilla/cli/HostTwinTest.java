package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.dsl.topo.model.TopoCost;
import io.flotilla.experiments.calibration.CrossCoreRoundTrip;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.skb.MessageCpuProbe;
import io.flotilla.skb.PipelineProbe;
import io.flotilla.skb.RttProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTwinTest {

    private static final String DISCOVERED = """
            // The host, discovered from /sys.
            machine "host" {
                clock 2.5 GHz
                numa 0 memory 1 GiB
                package 0 {
                    cores 0..2 in numa 0
                    cache L3 8 MiB line 64 shared by 0..2 latency 300
                }
            }
            """;

    @Test
    void theTwinPricesEachMeasuredPairAtHalfItsRoundTripAndKeepsTheModelForTheRest(@TempDir Path dir)
            throws Exception {
        List<RttProbe.PairRtt> measured = List.of(new RttProbe.PairRtt(0, 1, 2000, true, 900, 10, 850, 1200, 900));
        String text = HostTwin.topology(DISCOVERED, measured, "host-twin", "measured 1 of 3 core pairs");
        Machine twin = load(dir.resolve("twin.topo"), text);
        assertThat(twin.name()).isEqualTo("host-twin");
        assertThat(twin.coreCount()).isEqualTo(3);
        assertThat(twin.latency(0, 1)).isEqualTo(450);
        assertThat(twin.latency(1, 0)).isEqualTo(450);
        assertThat(twin.latency(0, 2)).isEqualTo(300); // not measured: the discovered cache's latency
        assertThat(text).startsWith("// measured 1 of 3 core pairs");
    }

    @Test
    void theTwinTakesTheMedianTripUnlessToldOtherwiseAndRecordsThePipelinedCost(@TempDir Path dir)
            throws Exception {
        // One descheduled trip in the pair's samples: the mean is far off, the median is the typical trip.
        List<RttProbe.PairRtt> measured = List.of(new RttProbe.PairRtt(0, 1, 2000, true, 50_000, 10, 850, 10_000_000,
                900));
        var pipelined = List.of(new PipelineProbe.Pipelined(new PipelineProbe.PairClass("shared L3", 0, 1), 210, 190,
                9, 10_000, true));
        for (var s : HostTwin.Statistic.values()) {
            String text = HostTwin.topology(DISCOVERED, measured, s, pipelined, null, "host-twin", "x");
            Machine machine = load(dir.resolve(s + ".topo"), text);
            long expected = switch (s) {
                case MEDIAN -> 450;
                case MEAN -> 25_000;
                case MIN -> 425;
            };
            assertThat(machine.latency(0, 1)).isEqualTo(expected);
            assertThat(text).contains("// pipelined 0 -- 1 cycles 210 min 190 (shared L3, 9 x 10000 messages)");
        }
        assertThat(HostTwin.topology(DISCOVERED, measured, "host-twin", "x")).contains("measured 0 -- 1 latency 450",
                "half the median urpc round trip");
    }

    @Test
    void aMeasuredMessageCpuCostGoesInAndTheLatenciesBecomeMessagesThroughTheRuntime(@TempDir Path dir)
            throws Exception {
        List<RttProbe.PairRtt> measured = List.of(new RttProbe.PairRtt(0, 1, 2000, true, 700, 10, 600, 900, 700));
        // Bare channel: 50 cycles a message (both ends); runtime: 301 (150.5 at each end, rounded to 151).
        var cpu = new HostTwin.MessageCpu(new MessageCpuProbe.Cost(50, 55, 21, 2000, true),
                new MessageCpuProbe.Cost(301, 320, 21, 2000, true));
        String text = HostTwin.topology(DISCOVERED, measured, HostTwin.Statistic.MEDIAN, List.of(), cpu, "host-twin",
                "x");
        Machine twin = load(dir.resolve("twin.topo"), text);
        assertThat(twin.messageCpuCycles()).hasValue(151);
        // Half the round trip (350) less the bare channel's CPU work (50): 300 cycles of line transfers, to which
        // both ends' runtime work is added; the sim takes 2 x 151 back out and is left with the measured 300.
        assertThat(twin.latency(0, 1)).isEqualTo(300 + 2 * 151);
        assertThat(twin.latency(0, 2)).isEqualTo(300); // not measured: the discovered cache's latency
        assertThat(text).contains("measured message-cpu 151", "fastest of 21 trials of 2000 messages");
    }

    @Test
    void measuredKernelCrossingsReplaceTheCpuDriversAndTheInterruptCostsWhatItDidBetweenCores(@TempDir Path dir)
            throws Exception {
        List<RttProbe.PairRtt> measured = List.of(new RttProbe.PairRtt(0, 1, 2000, true, 700, 10, 600, 900, 700));
        var crossings = new HostTwin.Crossings(new MessageCpuProbe.Cost(220.4, 230, 21, 2000, true),
                new MessageCpuProbe.Cost(6.4, 7, 21, 2000, true), new MessageCpuProbe.Cost(5.6, 6, 21, 2000, true),
                new MessageCpuProbe.Cost(120, 130, 21, 2000, true),
                new CrossCoreRoundTrip.Result(2000, 1900, 21, 2000, true));
        var cpu = new HostTwin.MessageCpu(new MessageCpuProbe.Cost(50, 55, 21, 2000, true),
                new MessageCpuProbe.Cost(301, 320, 21, 2000, true), crossings, null);
        String text = HostTwin.topology(DISCOVERED, measured, HostTwin.Statistic.MEDIAN, List.of(), cpu, "host-twin",
                "x");
        Machine twin = load(dir.resolve("twin.topo"), text);
        assertThat(twin.cost(TopoCost.LRPC_MESSAGE)).hasValue(220);
        assertThat(twin.cost(TopoCost.CAPABILITY_INVOCATION)).hasValue(6);
        assertThat(twin.cost(TopoCost.SYSTEM_CALL)).hasValue(6);
        assertThat(twin.cost(TopoCost.INTERRUPT_SEND)).hasValue(60); // half of both ends' 120
        // One interrupt between cores 0 and 1 is half the 2000-cycle round trip; the sim adds the sender's 60 and
        // one line transfer, (602 - 2 x 151) / 2 = 150, so the target's trap is what is left: 1000 - 60 - 150.
        assertThat(twin.cost(TopoCost.INTERRUPT_TRAP)).hasValue(790);
        assertThat(text).contains("half the median round trip of 21 x 2000, 1000.0", "one line transfer (150)");
    }

    @Test
    void aRoundTripThroughTheRuntimeScalesEveryPairsTransfersToMatchIt(@TempDir Path dir) throws Exception {
        List<RttProbe.PairRtt> measured = List.of(new RttProbe.PairRtt(0, 1, 2000, true, 700, 10, 600, 900, 700),
                new RttProbe.PairRtt(0, 2, 2000, true, 1100, 10, 1000, 1300, 1100));
        // Half the runtime's round trip, 700, less both ends' 2 x 151, over the pair's bare transfers, 350 - 50.
        var cpu = new HostTwin.MessageCpu(new MessageCpuProbe.Cost(50, 55, 21, 2000, true),
                new MessageCpuProbe.Cost(301, 320, 21, 2000, true), null,
                new CrossCoreRoundTrip.Result(1400, 1300, 21, 2000, true));
        String text = HostTwin.topology(DISCOVERED, measured, HostTwin.Statistic.MEDIAN, List.of(), cpu, "host-twin",
                "x");
        Machine twin = load(dir.resolve("twin.topo"), text);
        assertThat(twin.latency(0, 1)).isEqualTo(700); // the runtime's own one-way trip
        // The farther pair's bare transfers (550 - 50) count as many times: 500 x 398 / 300 = 663.
        assertThat(twin.latency(0, 2)).isEqualTo(663 + 2 * 151);
        assertThat(text).contains("a message took 700.0 one", "count 1.327");
    }

    @Test
    void aBareChannelSlowerThanTheRoundTripLeavesNoNegativeTransfer(@TempDir Path dir) throws Exception {
        List<RttProbe.PairRtt> measured = List.of(new RttProbe.PairRtt(0, 1, 2000, true, 80, 10, 60, 900, 80));
        var cpu = new HostTwin.MessageCpu(new MessageCpuProbe.Cost(50, 55, 21, 2000, true),
                new MessageCpuProbe.Cost(200, 220, 21, 2000, true));
        String text = HostTwin.topology(DISCOVERED, measured, HostTwin.Statistic.MEDIAN, List.of(), cpu, "t", "x");
        assertThat(load(dir.resolve("twin.topo"), text).latency(0, 1)).isEqualTo(200);
    }

    @Test
    void somethingThatIsNotOneMachineBlockIsRefused() {
        assertThatThrownBy(() -> HostTwin.topology("// nothing", List.of(), "t", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Writes a twin's topology text to {@code file} and loads it as a machine, as {@code --topology FILE} would. */
    private static Machine load(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return Machines.load(file.toString());
    }
}
