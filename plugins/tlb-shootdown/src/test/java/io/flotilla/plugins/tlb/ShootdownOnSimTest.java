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
    @CsvSource({"unicast,2", "unicast,5", "unicast,17", "unicast,32",
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
}
