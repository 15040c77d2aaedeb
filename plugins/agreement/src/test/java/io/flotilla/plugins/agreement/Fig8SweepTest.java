package io.flotilla.plugins.agreement;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.ScenarioContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Figure 8 sweep as docs/benchmarks.md shows it: every series of {@code two-phase-commit} on sim {@code amd-8x4}
 * at 2, 4, 8, 16 and 32 cores, seed 1, the experiment file's parameters (200 operations, window 16), over the
 * multicast tree and over unicast. Prints a Markdown table; checks only the shape that must hold whatever the cost
 * model's constants: pipelining pays, one phase costs less than two, and at 32 cores the tree beats unicast.
 */
class Fig8SweepTest {

    static final int[] CORES = {2, 4, 8, 16, 32};

    @Test
    void sweep() {
        TwoPhaseCommitScenario s = new TwoPhaseCommitScenario();
        StringBuilder table = new StringBuilder("| fan-out | cores | 2PC single-op latency | 2PC pipelined cost/op"
                + " | 1PC single-op latency | messages/op (2PC) |\n|---|---|---|---|---|---|\n");
        double[][] single = new double[2][CORES.length];
        for (int f = 0; f < 2; f++) {
            String fanout = f == 0 ? "multicast" : "unicast";
            for (int i = 0; i < CORES.length; i++) {
                Measurement[] m = new Measurement[3];
                for (int k = 0; k < 3; k++) {
                    String series = s.series().get(k);
                    m[k] = s.run(new ScenarioContext(TwoPhaseCommitScenarioTest.AMD, "sim", series, CORES[i], 1,
                            false, Map.of("operations", "200", "window", "16", "fanout", fanout),
                            () -> new SimPlatform(1)));
                }
                single[f][i] = m[0].cycles();
                assertTrue(m[1].cycles() < m[0].cycles(), fanout + " " + CORES[i]);
                assertTrue(m[2].cycles() < m[0].cycles(), fanout + " " + CORES[i]);
                table.append(String.format("| %s | %d | %.0f | %.0f | %.0f | %.0f |%n", fanout, CORES[i],
                        m[0].cycles(), m[1].cycles(), m[2].cycles(), Math.floor(m[0].extra().get("messages_per_op"))));
            }
        }
        assertTrue(single[0][CORES.length - 1] < single[1][CORES.length - 1], "multicast beats unicast at 32 cores");
        System.out.print(table);
    }
}
