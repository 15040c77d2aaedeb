package io.flotilla.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimTransportsTest {

    private static final Machine AMD8 = Machines.load("amd-8x4");

    @Test
    void anUnknownTransportIsRefusedWithTheKnownOnes() {
        SimPlatform sim = new SimPlatform(1);
        try (Multikernel mk = Multikernel.builder(AMD8, sim).out(null).boot()) {
            assertThatThrownBy(() -> sim.open(0, 4, "rdma", ChannelOptions.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no transport named 'rdma' on sim; known: [lrpc, net, urpc]");
        }
    }

    /** Publishes {@code frames} frames from core 0 to core 4 at once; returns when each became visible there. */
    private static List<Long> stream(String transport, int frames) {
        SimPlatform sim = new SimPlatform(1, CostModel.calibrated(AMD8).withJitterCycles(0));
        List<Long> seen = new ArrayList<>();
        try (Multikernel mk = Multikernel.builder(AMD8, sim).out(null).boot()) {
            ChannelPair pair = sim.open(0, 4, transport, ChannelOptions.DEFAULT.withSlots(64));
            SimChannel rx = (SimChannel) pair.right();
            sim.watch(4, rx, () -> rx.poll(f -> seen.add(sim.now(4)), 64));
            for (int i = 0; i < frames; i++) {
                pair.left().claim().publish(ControlWord.of(1, 0, true, 0));
            }
            mk.run(Duration.ofSeconds(1));
        }
        return seen;
    }

    @Test
    void netCostsBothStacksAndBatchesWhatWaitsIntoOneSegment() {
        List<Long> urpc = stream("urpc", 1);
        List<Long> net = stream("net", 1);
        // one frame: two stacks of 3,106 ns at 2 GHz (6,212 cycles each) against Table 2's 613 cycles
        assertThat(net.get(0)).isGreaterThan(urpc.get(0) + 2 * 6_000);

        // 23 frames at once: the first goes alone, the next 22 (one 1448-byte segment) wait and go together, so
        // the receiver takes them back to back (its own message CPU work each) and the burst costs two segments
        List<Long> burst = stream("net", 23);
        assertThat(burst).hasSize(23);
        assertThat(burst.get(22) - burst.get(1)).isLessThan(22 * 200);
        assertThat(burst.get(1) - burst.get(0)).isGreaterThan(6_000);
        // unbatched, the sending stack alone would take 23 x 6,212 cycles
        assertThat(burst.get(22)).isLessThan(4 * net.get(0)).isLessThan(23 * 6_212);
    }
}
