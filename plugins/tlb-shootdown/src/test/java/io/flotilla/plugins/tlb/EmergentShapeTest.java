package io.flotilla.plugins.tlb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import org.junit.jupiter.api.Test;

/**
 * What a multikernel predicts of the calibrated model on the 8x4 AMD, checked as it comes out: no constant here or in
 * the protocols is tuned to make it so. These can fail: if the cost model changes so that a prediction no longer
 * holds, the test says which and by how much.
 */
class EmergentShapeTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final ShootdownBench.Settings S = ShootdownBench.Settings.DEFAULT.withRounds(3, 21);
    /** Two messages each way carry up to the calibrated jitter (8 cycles) each: equal trees differ by that much. */
    static final long JITTER = 16;

    static long shootdown(String variant, int cores) {
        ShootdownBench.Result r = ShootdownBench.shootdown(AMD, new SimPlatform(42), cores,
                ShootdownProtocols.byName(variant), S);
        assertTrue(r.ok(), () -> r.errors().toString());
        return r.latencies().median();
    }

    static long unmap(String variant, UnmapUser.Path path, int cores) {
        ShootdownBench.Result r = ShootdownBench.unmap(AMD, new SimPlatform(42), cores,
                ShootdownProtocols.byName(variant), path, S);
        assertTrue(r.ok(), () -> r.errors().toString());
        return r.latencies().median();
    }

    @Test
    void unicastIsCheapestAtTwoAndFourCores() {
        for (int cores : new int[] {2, 4}) {
            long unicast = shootdown("unicast", cores);
            for (String other : new String[] {"broadcast", "multicast", "numa-multicast"}) {
                long o = shootdown(other, cores);
                assertTrue(unicast <= o + JITTER, "at " + cores + " cores unicast " + unicast + " vs " + other + " " + o);
            }
        }
        long unicast = shootdown("unicast", 4);
        long broadcast = shootdown("broadcast", 4);
        assertTrue(unicast < broadcast, "4 cores: unicast " + unicast + ", broadcast " + broadcast);
    }

    @Test
    void theNumaAwareTreeBeatsUnicastAndBroadcastAtThirtyTwoCores() {
        long numa = shootdown("numa-multicast", 32);
        long unicast = shootdown("unicast", 32);
        long broadcast = shootdown("broadcast", 32);
        assertTrue(numa < unicast, "32 cores: numa-multicast " + numa + ", unicast " + unicast);
        assertTrue(numa < broadcast, "32 cores: numa-multicast " + numa + ", broadcast " + broadcast);
    }

    @Test
    void theNumaAwareTreeIsTheFlattestFromEightToThirtyTwoCores() {
        long numaRise = shootdown("numa-multicast", 32) - shootdown("numa-multicast", 8);
        for (String other : new String[] {"broadcast", "unicast"}) {
            long rise = shootdown(other, 32) - shootdown(other, 8);
            assertTrue(numaRise < rise, "8 -> 32 cores: numa-multicast rises " + numaRise + ", " + other + " " + rise);
        }
    }

    @Test
    void ipiShootdownIsSlowerThanTheMessageBasedUnmapAtThirtyTwoCores() {
        long flotilla = unmap("numa-multicast", UnmapUser.Path.MONITOR, 32);
        long ipi = unmap("ipi", UnmapUser.Path.IN_PLACE, 32);
        assertTrue(flotilla < ipi, "32 cores: Flotilla unmap " + flotilla + ", IPI " + ipi);
    }
}
