package io.flotilla.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachinesTest {

    @TempDir
    Path dir;

    @Test
    void everyShippedMachineLoads() {
        assertThat(Machines.list()).containsExactly("intel-2x4", "amd-2x2", "amd-4x4", "amd-8x4", "mesh-64",
                "numa-256", "mesh-1024", "host");
        int[][] expected = {{8, 2, 1}, {4, 2, 2}, {16, 4, 4}, {32, 8, 8}, {64, 16, 16}, {256, 8, 16}, {1024, 64, 64}};
        for (int i = 0; i < expected.length; i++) {
            Machine m = Machines.load(Machines.list().get(i));
            assertThat(m.name()).isEqualTo(Machines.list().get(i));
            assertThat(new int[] {m.coreCount(), m.packages().size(), m.numaNodes().size()}).as(m.name())
                    .containsExactly(expected[i]);
        }
        assertThat(Machines.load("amd-8x4")).isSameAs(Machines.load("amd-8x4"));
    }

    @Test
    void amd8x4HopDistancesAreThoseOfFigure2() {
        Machine m = Machines.load("amd-8x4");
        // Packages: top row T1..T4 = 0..3, bottom row B1..B4 = 4..7.
        int[][] hops = {
            // T1 T2 T3 T4 B1 B2 B3 B4
            {0, 1, 2, 3, 1, 2, 3, 3}, // T1
            {1, 0, 1, 2, 2, 1, 2, 2}, // T2
            {2, 1, 0, 1, 3, 2, 2, 1}, // T3
            {3, 2, 1, 0, 3, 2, 1, 1}, // T4
            {1, 2, 3, 3, 0, 1, 2, 3}, // B1
            {2, 1, 2, 2, 1, 0, 1, 2}, // B2
            {3, 2, 2, 1, 2, 1, 0, 1}, // B3
            {3, 2, 1, 1, 3, 2, 1, 0}, // B4
        };
        for (int a = 0; a < 8; a++) {
            for (int b = 0; b < 8; b++) {
                assertThat(m.packageHops(a, b)).as("hops %d -> %d", a, b).isEqualTo(hops[a][b]);
            }
        }
        assertThat(m.links()).hasSize(11);
        assertThat(m.hops(0, 3)).isZero();
        assertThat(m.hops(0, 12)).isEqualTo(3);
        assertThat(m.packagePath(0, 7)).containsExactly(0, 1, 2, 7);
        assertThat(m.packagePath(4, 3)).containsExactly(4, 5, 6, 3);
    }

    @Test
    void latenciesFollowTable2OfThePaper() {
        Machine m = Machines.load("amd-8x4");
        assertThat(m.latency(0, 0)).isZero();
        assertThat(m.latency(0, 1)).isEqualTo(538); // shared L3
        assertThat(m.latency(0, 4)).isEqualTo(613); // one hop
        assertThat(m.latency(0, 8)).isEqualTo(618); // two hops
        Machine intel = Machines.load("intel-2x4");
        assertThat(intel.latency(0, 1)).isEqualTo(180); // shared L2
        assertThat(intel.latency(0, 2)).isEqualTo(570); // same package, other die
        assertThat(intel.latency(0, 4)).isEqualTo(570); // other package
        assertThat(Machines.load("amd-4x4").latency(0, 8)).isEqualTo(558); // diagonal: two hops
    }

    @Test
    void coresKnowTheirPackageNumaNodeSiblingsAndSharedCaches() {
        Machine m = Machines.load("numa-256");
        assertThat(m.core(17).packageId()).isZero();
        assertThat(m.core(17).numaNode()).isEqualTo(1);
        assertThat(m.numaNodeOf(40).id()).isEqualTo(2);
        assertThat(m.smtSiblings(2)).containsExactly(3);
        assertThat(m.closestSharedCache(2, 3).orElseThrow().name()).isEqualTo("L1d");
        assertThat(m.closestSharedCache(2, 5).orElseThrow().name()).isEqualTo("L3");
        assertThat(m.closestSharedCache(2, 40)).isEmpty();
        Machine intel = Machines.load("intel-2x4");
        assertThat(intel.closestSharedCache(0, 1).orElseThrow().name()).isEqualTo("L2");
        assertThat(intel.closestSharedCache(0, 2)).isEmpty();
        assertThat(intel.numaNodes()).hasSize(1);
    }

    @Test
    void filesLoadByPathAndErrorsAreRenderedDiagnostics() throws Exception {
        Path good = dir.resolve("two.topo");
        Files.writeString(good, "machine \"two\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1 } }");
        assertThat(Machines.load(good.toString()).coreCount()).isEqualTo(2);
        Path bad = dir.resolve("bad.topo");
        Files.writeString(bad, "machine \"bad\" {\n  clock 1 GHz\n  package 0 { cores 0 }\n}\n");
        assertThatThrownBy(() -> Machines.load(bad.toString()))
                .isInstanceOf(MachineLoadException.class)
                .hasMessageContaining("bad.topo:3:11: error: package 0 has no NUMA node");
        assertThatThrownBy(() -> Machines.load("amd-9x9"))
                .hasMessageStartingWith("unknown machine 'amd-9x9': not one of intel-2x4, amd-2x2");
    }

    @Test
    void theHostIsAlwaysAValidMachine() {
        List<String> warnings = new ArrayList<>();
        Machine host = Machines.load("host", warnings::add);
        assertThat(host.coreCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(host.name()).isEqualTo("host");
    }

    @Test
    void aVirtualMachineThatHidesCachesAndNumaStillGivesAMachineWithWarnings() throws Exception {
        Path cpu = dir.resolve("sys/devices/system/cpu");
        Files.createDirectories(cpu);
        Files.writeString(cpu.resolve("online"), "0-3\n");
        HostDiscovery.Discovered d = new HostDiscovery(dir).discover();
        assertThat(d.warnings()).anyMatch(w -> w.contains("hides its caches"))
                .anyMatch(w -> w.contains("hides its NUMA nodes")).anyMatch(w -> w.contains("clock"));
        Machine m = TopologyLoader.load("host.topo", d.topology(), w -> { });
        assertThat(m.coreCount()).isEqualTo(4);
        assertThat(m.caches()).isEmpty();
    }

    @Test
    void aTwoSocketSmtHostIsDiscoveredWithItsSiblingsCachesAndNodes() throws Exception {
        Path cpu = dir.resolve("sys/devices/system/cpu");
        Path node = dir.resolve("sys/devices/system/node");
        Files.createDirectories(node);
        Files.createDirectories(cpu.resolve("cpu0/cpufreq"));
        Files.writeString(cpu.resolve("online"), "0-7");
        Files.writeString(cpu.resolve("cpu0/cpufreq/cpuinfo_max_freq"), "3200000");
        Files.writeString(node.resolve("online"), "0-1");
        for (int n = 0; n < 2; n++) {
            Files.createDirectories(node.resolve("node" + n));
            Files.writeString(node.resolve("node" + n + "/cpulist"), n == 0 ? "0-1,4-5" : "2-3,6-7");
            Files.writeString(node.resolve("node" + n + "/meminfo"), "Node " + n + " MemTotal:  1048576 kB\n");
        }
        for (int c = 0; c < 8; c++) {
            // Linux numbering: cpu c and c+4 are the two threads of one physical core.
            Path topo = cpu.resolve("cpu" + c + "/topology");
            Files.createDirectories(topo);
            Files.writeString(topo.resolve("physical_package_id"), String.valueOf((c % 4) / 2));
            Files.writeString(topo.resolve("core_id"), String.valueOf(c % 2));
            Path l1 = cpu.resolve("cpu" + c + "/cache/index0");
            Files.createDirectories(l1);
            Files.writeString(l1.resolve("level"), "1");
            Files.writeString(l1.resolve("type"), "Data");
            Files.writeString(l1.resolve("size"), "32K");
            Files.writeString(l1.resolve("shared_cpu_list"), (c % 4) + "," + (c % 4 + 4));
        }
        HostDiscovery.Discovered d = new HostDiscovery(dir).discover();
        Machine m = TopologyLoader.load("host.topo", d.topology(), w -> { });
        assertThat(m.clockGhz()).isEqualTo(3.2);
        assertThat(m.packages()).hasSize(2);
        assertThat(m.smtSiblings(0)).containsExactly(4);
        assertThat(m.core(6).numaNode()).isEqualTo(1);
        assertThat(m.closestSharedCache(1, 5).orElseThrow().name()).isEqualTo("L1d");
        assertThat(m.numaNodes().get(1).memoryBytes()).isEqualTo(1L << 30);
        assertThat(m.links()).hasSize(1);
        assertThat(d.warnings()).anyMatch(w -> w.contains("interconnect"));
    }
}
