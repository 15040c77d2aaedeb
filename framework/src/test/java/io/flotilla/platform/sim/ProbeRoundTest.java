package io.flotilla.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import org.junit.jupiter.api.Test;

/** The link traffic of a broadcast probe round ({@link Interconnect#probeRound}, {@link Mechanism#PROBE_TRAFFIC}). */
class ProbeRoundTest {

    private static final Machine AMD4 = Machines.load("amd-4x4");

    private static Interconnect idle() {
        return new Interconnect(AMD4, 16, CostModel.calibrated(AMD4));
    }

    @Test
    void onAnIdleInterconnectARoundAddsNothing() {
        // core 4 (package 1) misses on a line homed on package 0 and held by core 8 (package 2): its own packets
        // share links (two responses, the memory data), but that is inside the probe round Table 2 measured
        assertThat(idle().probeRound(4, 0, 8, true, 1_000)).isZero();
        assertThat(idle().probeRound(1, 0, 2, false, 1_000)).isZero();
    }

    @Test
    void simultaneousMissesToOneHomeQueueBehindEachOther() {
        // n cores of package 1 each missing on a different line homed on package 0 at once, as Figure 3's SHMn has
        // up to n misses in flight: each round's request, memory data and responses wait for the ones before
        Interconnect ic = idle();
        long previous = -1;
        long first = 0;
        for (int core = 4; core < 8; core++) {
            long queued = ic.probeRound(core, 0, 12, true, 1_000);
            assertThat(queued).as("miss of core %d", core).isGreaterThan(previous);
            if (previous < 0) {
                first = queued;
            }
            previous = queued;
        }
        // the fourth waits at least for three memory data responses (64 bytes, 20 cycles each) on the 0-1 link
        assertThat(previous - first).isGreaterThanOrEqualTo(3 * 20);
    }

    @Test
    void theSameMissLaterOnAQuietInterconnectDoesNotQueue() {
        Interconnect ic = idle();
        for (int core = 4; core < 8; core++) {
            ic.probeRound(core, 0, 12, true, 1_000);
        }
        // far in the future the earlier rounds' bookings have ended: the round costs what it costs alone
        assertThat(ic.probeRound(4, 0, 12, true, 100_000)).isZero();
    }
}
