package io.flotilla.plugins.tlb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShootdownOnSimTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final ShootdownBench.Settings FEW = ShootdownBench.Settings.DEFAULT.withRounds(2, 6);

    static ShootdownBench.Result run(String variant, int cores, long seed) {
        return ShootdownBench.shootdown(AMD, new SimPlatform(seed), cores, ShootdownProtocols.byName(variant), FEW);
    }

    @ParameterizedTest(name = "{0} on {1} cores")
    @CsvSource({"broadcast,2", "broadcast,5", "broadcast,17", "broadcast,32",
            "ipi,2", "ipi,5", "ipi,17", "ipi,32",
            "unicast,2", "unicast,5", "unicast,17", "unicast,32",
            "multicast,2", "multicast,5", "multicast,17", "multicast,32",
            "numa-multicast,2", "numa-multicast,5", "numa-multicast,17", "numa-multicast,32"})
    void everyOtherCoreInvalidatesOncePerRoundAndEveryAckIsCounted(String variant, int cores) {
        ShootdownBench.Result r = run(variant, cores, 1);
        assertTrue(r.ok(), () -> r.errors().toString());
        assertEquals(6, r.latencies().count());
        long[] expected = new long[cores];
        for (int c = 1; c < cores; c++) {
            expected[c] = 8; // 2 warm-up + 6 measured rounds, initiator excluded
        }
        assertArrayEquals(expected, r.invalidations(), variant + " on " + cores + " cores");
        assertTrue(r.latencies().median() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"broadcast", "unicast", "multicast", "numa-multicast", "ipi"})
    void sameSeedSameTraceAndCyclesOtherSeedOtherTrace(String variant) {
        ShootdownBench.Result a = run(variant, 12, 7);
        ShootdownBench.Result b = run(variant, 12, 7);
        ShootdownBench.Result c = run(variant, 12, 8);
        assertTrue(a.traceHash().isPresent());
        assertEquals(a.traceHash(), b.traceHash());
        assertArrayEquals(a.latencies().values(), b.latencies().values());
        assertTrue(!a.traceHash().equals(c.traceHash()), "the seed draws the jitter, so the trace must differ");
    }

    @ParameterizedTest(name = "{0} on {1} cores")
    @CsvSource({"numa-multicast,2", "numa-multicast,5", "numa-multicast,32", "unicast,17", "broadcast,9",
            "ipi,2", "ipi,17", "ipi,32"})
    void unmapInvalidatesEveryCoreIncludingTheUsersOnce(String variant, int cores) {
        UnmapUser.Path path = variant.equals("ipi") ? UnmapUser.Path.IN_PLACE : UnmapUser.Path.MONITOR;
        ShootdownBench.Result r = ShootdownBench.unmap(AMD, new SimPlatform(3), cores,
                ShootdownProtocols.byName(variant), path, FEW);
        assertTrue(r.ok(), () -> r.errors().toString());
        long[] expected = new long[cores];
        java.util.Arrays.fill(expected, 8);
        assertArrayEquals(expected, r.invalidations());
        assertEquals(6, r.latencies().count());
    }
}
