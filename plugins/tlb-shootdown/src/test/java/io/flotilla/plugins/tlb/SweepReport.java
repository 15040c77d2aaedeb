package io.flotilla.plugins.tlb;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prints the sweep recorded in docs/benchmarks.md, through the scenarios as the experiment runner calls them. Runs
 * only when asked: {@code -Dtlb.sweep=true}.
 */
class SweepReport {

    @Test
    void printSweep() {
        assumeTrue(Boolean.getBoolean("tlb.sweep"), "run with -Dtlb.sweep=true");
        Machine amd = Machines.load("amd-8x4");
        long seed = 42;
        int[] cores = {2, 4, 8, 16, 32};
        for (String name : new String[] {"tlb-shootdown", "unmap"}) {
            Scenario scenario = PluginAndScenarioTest.scenario(name);
            StringBuilder head = new StringBuilder("| " + name + " (median cycles) |");
            for (int n : cores) {
                head.append(" ").append(n).append(" |");
            }
            System.out.println(head);
            for (String series : scenario.series()) {
                StringBuilder row = new StringBuilder("| " + series + " |");
                for (int n : cores) {
                    var m = scenario.run(new ScenarioContext(amd, "sim", series, n, seed, false, Map.of(),
                            () -> new SimPlatform(seed)));
                    row.append(" ").append((long) m.cycles()).append(" |");
                }
                System.out.println(row);
            }
        }
    }
}
