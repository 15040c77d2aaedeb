package io.flotilla.dsl.topo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.topo.model.TopoCache;
import io.flotilla.dsl.topo.model.TopoCore;
import io.flotilla.dsl.topo.model.TopoCost;
import io.flotilla.dsl.topo.model.Topology;
import org.junit.jupiter.api.Test;

/** What a correct file means: the expanded model. */
class TopologyLanguageTest {

    static TopoResult compile(String text) {
        return TopologyLanguage.compile(new SourceFile("m.topo", text));
    }

    static Topology model(String text) {
        TopoResult r = compile(text);
        assertThat(r.hasErrors()).as(r.render()).isFalse();
        return r.model().orElseThrow();
    }

    @Test
    void aSmallMachineWithEveryKindOfStatement() {
        Topology t = model("""
                // two packages, SMT, a measured pair
                machine "tiny" {
                    clock 2.4 GHz;
                    remote latency 300
                    numa 0 memory 2 GiB
                    numa 1 memory 512 MiB
                    package 0 {
                        numa 0
                        cores 0..3 smt 2
                        cache L1d 32 KiB line 64 assoc 8 private
                        cache L2 1 MiB per 2 latency 90
                        cache L3 8 MiB shared latency 200
                        local latency 250
                    }
                    package 1 {
                        cores 4, 5 in numa 1
                        cores 6..7 in numa 0
                        cache L3 8 MiB shared by 4..7
                    }
                    link 0 -- 1 latency 40 bandwidth 12.8 GB/s
                    measured 0 -- 7 latency 999
                    measured message-cpu 140
                    measured interrupt-trap 61
                    measured system-call 0
                }
                """);
        assertThat(t.name()).isEqualTo("tiny");
        assertThat(t.clockGhz()).isEqualTo(2.4);
        assertThat(t.remoteLatency()).isEqualTo(300);
        assertThat(t.cores()).hasSize(8);
        assertThat(t.cores().get(1)).isEqualTo(new TopoCore(1, 0, 0, 0, 1, t.cores().get(1).pos()));
        assertThat(t.cores().get(2).physicalCore()).isEqualTo(1);
        assertThat(t.cores().get(5).numaNode()).isEqualTo(1);
        assertThat(t.cores().get(6).numaNode()).isEqualTo(0);
        assertThat(t.numaNodes().get(1).memoryBytes()).isEqualTo(512L << 20);
        // L1d private: one per physical core, shared by its two threads.
        assertThat(t.caches().stream().filter(c -> c.name().equals("L1d")).map(TopoCache::cores))
                .containsExactly(java.util.List.of(0, 1), java.util.List.of(2, 3));
        // L2 per 2 physical cores: one instance of all four threads.
        assertThat(t.caches().stream().filter(c -> c.name().equals("L2")).map(TopoCache::cores))
                .containsExactly(java.util.List.of(0, 1, 2, 3));
        assertThat(t.caches().stream().filter(c -> c.name().equals("L3"))).hasSize(2);
        assertThat(t.caches().get(0).latency()).isEqualTo(Checker.defaultCacheLatency(1));
        assertThat(t.packages().get(0).localLatency()).isEqualTo(250);
        assertThat(t.packages().get(1).localLatency()).isEqualTo(Checker.DEFAULT_LOCAL_LATENCY);
        assertThat(t.links().get(0).bandwidthGBps()).isEqualTo(12.8);
        assertThat(t.measured().get(0).latency()).isEqualTo(999);
        assertThat(t.messageCpu()).hasValue(140);
        assertThat(t.costs()).containsOnlyKeys(TopoCost.MESSAGE_CPU, TopoCost.SYSTEM_CALL, TopoCost.INTERRUPT_TRAP);
        assertThat(t.cost(TopoCost.SYSTEM_CALL)).hasValue(0);
        assertThat(t.cost(TopoCost.INTERRUPT_TRAP)).hasValue(61);
        assertThat(t.cost(TopoCost.CAPABILITY_INVOCATION)).isEmpty();
    }

    @Test
    void aMachineWithoutAMeasuredMessageCpuCostHasNone() {
        Topology t = model("machine \"m\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1 } }");
        assertThat(t.messageCpu()).isEmpty();
        // 'message-cpu' is one word; 'message - cpu' is still an expression of two names.
        Topology e = model("machine \"m\" { clock 1 GHz let message = 9 let cpu = 2 measured message - cpu "
                + "-- 0 latency 5 numa 0 memory 1 GiB package 0 { numa 0 cores 0..7 } }");
        assertThat(e.measured().get(0).a()).isEqualTo(7);
        assertThat(e.messageCpu()).isEmpty();
    }

    @Test
    void compactFormsDescribeA1024CoreMeshInAFewLines() {
        Topology t = model("""
                machine "mesh" {
                    clock 2 GHz
                    let side = 8
                    let n = 16
                    for p in 0 .. side*side - 1 {
                        package p { numa p memory 1 GiB  cores p*n .. p*n + n - 1  cache L3 16 MiB shared }
                    }
                    for y in 0 .. side - 1 {
                        for x in 0 .. side - 2 {
                            link y*side + x -- y*side + x + 1 latency 30
                            link x*side + y -- (x + 1)*side + y latency 30
                        }
                    }
                }
                """);
        assertThat(t.cores()).hasSize(1024);
        assertThat(t.packages()).hasSize(64);
        assertThat(t.links()).hasSize(2 * 8 * 7);
        assertThat(t.cores().get(1023).packageId()).isEqualTo(63);
    }

    @Test
    void expressionsHaveTheUsualPrecedenceAndFloorDivision() {
        Topology t = model("""
                machine "e" { clock 1 GHz
                  let a = 2 + 3 * 4 - (1 + 1)   // 12
                  let b = -7 / 2                  // -4
                  let c = -7 % 3                  // 2
                  numa 0 memory a MiB
                  package 0 { numa 0 cores 0 .. a - b - c - 1 } }
                """);
        assertThat(t.numaNodes().get(0).memoryBytes()).isEqualTo(12L << 20);
        assertThat(t.cores()).hasSize(14);
    }

    @Test
    void siblingsDescribeInterleavedSmtNumbering() {
        Topology t = model("""
                machine "linux" { clock 3 GHz numa 0 memory 1 GiB
                  package 0 { numa 0 cores 0..3  for c in 0..1 { siblings c, c + 2 }  cache L1d 32 KiB private } }
                """);
        assertThat(t.cores()).extracting(TopoCore::physicalCore).containsExactly(0, 1, 0, 1);
        assertThat(t.cores()).extracting(TopoCore::thread).containsExactly(0, 0, 1, 1);
        assertThat(t.caches()).extracting(TopoCache::cores)
                .containsExactly(java.util.List.of(0, 2), java.util.List.of(1, 3));
    }

    @Test
    void theWriterProducesTextThatReadsBackToTheSameMachine() {
        Topology t = model("""
                machine "w" { clock 2.66 GHz remote latency 5
                  numa 0 memory 3 GiB numa 1 memory 1000 B
                  package 0 { numa 0 cores 0..3 smt 2 cache L1d 32 KiB assoc 8 private cache L3 4 MiB shared }
                  package 1 { cores 4..5 in numa 0 cores 6..7 in numa 1 siblings 4, 6
                              cache L2 1 MiB shared by 4, 6 cache L2 1 MiB shared by 5 cache L2 1 MiB shared by 7 }
                  link 0 -- 1 latency 7 bandwidth 2.5 GB/s
                  measured 1 -- 6 latency 77 measured message-cpu 0 measured interrupt-send 3 measured capability-invocation 1 }
                """);
        String text = TopologyWriter.write(t);
        Topology back = model(text);
        assertThat(strip(back)).as(text).isEqualTo(strip(t));
    }

    /** The model without positions, which differ between the original and the written file. */
    private static String strip(Topology t) {
        return t.toString().replaceAll("pos=[^,\\]]*", "");
    }
}
