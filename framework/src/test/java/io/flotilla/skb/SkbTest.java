package io.flotilla.skb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.machine.TopologyLoader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SkbTest {

    static Skb amd;

    @BeforeAll
    static void load() {
        amd = Skb.of(Machines.load("amd-8x4"));
    }

    @Test
    void factsUseBarrelfishsVocabulary() {
        assertThat(amd.query("nr_running_cores(N)")).containsExactly(Map.of("N", 32L));
        assertThat(amd.query("cpu_thread(13, P, C, T)")).containsExactly(Map.of("P", 3L, "C", 1L, "T", 0L));
        assertThat(amd.query("corename(5, Arch, A)").get(0).get("A"))
                .isEqualTo(new SkbTerm.Compound("apic", List.of(5L)));
        assertThat(amd.query("cache(l3, 0, 3, T, Size, _, Line, _)"))
                .containsExactly(Map.of("T", "unified", "Size", 2L << 20, "Line", 64L));
        assertThat(amd.query("link(A, B, _, _)")).hasSize(11);
        assertThat(amd.query("package_hops(0, P, 3)")).extracting(s -> s.get("P")).containsExactly(3L, 6L, 7L);
        assertThat(amd.query("core_hops(0, 31, H)")).containsExactly(Map.of("H", 3L));
        assertThat(amd.query("message_rtt(0, 4, Avg, _, _, _)")).containsExactly(Map.of("Avg", 2 * 613L));
        assertThat(amd.query("message_rtt(0, X, _, _, _, _)")).hasSize(31);
        assertThat(amd.query("closest_shared_cache(0, 3, Name, Level)"))
                .containsExactly(Map.of("Name", "l3", "Level", 3L));
        assertThat(amd.query("numa_distance(0, 7, D), node_distance(0, 7, S)"))
                .containsExactly(Map.of("D", 3L, "S", 40L));
    }

    @Test
    void theMulticastTreeIsASpanningTreeFromTheRootFarthestPackagesFirst() {
        List<Send> tree = amd.multicastTree(0);
        assertValidTree(amd.machine(), 0, tree);
        // The root first reaches the leaders of the seven other packages, the three hops away first.
        assertThat(tree.subList(0, 7)).extracting(Send::to).containsExactly(12, 24, 28, 8, 20, 4, 16);
        // then its own package, then each leader its package, in the order the leaders were reached.
        assertThat(tree.subList(7, 10)).containsExactly(new Send(0, 1), new Send(0, 2), new Send(0, 3));
        assertThat(tree.get(10)).isEqualTo(new Send(12, 13));
        assertThat(tree.get(tree.size() - 1)).isEqualTo(new Send(16, 19));
    }

    @Test
    void multicastTreesAreValidOnEveryShippedMachineFromAnyRoot() {
        for (String name : List.of("intel-2x4", "amd-2x2", "amd-4x4", "mesh-64", "numa-256")) {
            Skb skb = Skb.of(Machines.load(name));
            int n = skb.machine().coreCount();
            for (int root : new int[] {0, n / 2 + 1, n - 1}) {
                assertValidTree(skb.machine(), root, skb.multicastTree(root));
            }
        }
    }

    @Test
    void theQueryFormOfTheTreeIsTheSendList() {
        Object sends = amd.query("multicast_tree(0, Sends)").get(0).get("Sends");
        assertThat(Skb.format(sends)).startsWith("[sendto(0, 12), sendto(0, 24), sendto(0, 28), sendto(0, 8),");
    }

    @Test
    void measuredRoundTripsReplaceTheModelAndReorderTheTree() {
        Skb skb = Skb.of(Machines.load("amd-8x4"));
        skb.assertMessageRtt(0, 4, 9000, 10, 8000, 9900);
        assertThat(skb.query("message_rtt(0, 4, A, V, Mn, Mx)"))
                .containsExactly(Map.of("A", 9000L, "V", 10L, "Mn", 8000L, "Mx", 9900L));
        assertThat(skb.multicastTree(0).get(0)).isEqualTo(new Send(0, 4));
        assertThatThrownBy(() -> skb.assertMessageRtt(0, 0, 1, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void routesTransportsAndMemory() {
        assertThat(amd.route(0, 28)).containsExactly(0, 1, 2, 7);
        assertThat(amd.route(0, 3)).containsExactly(0);
        assertThat(amd.query("min_spanning_tree(L), length(L, N)").get(0).get("N")).isEqualTo(7L);
        assertThat(amd.transportFor(3, 3)).isEqualTo(Transport.LRPC);
        assertThat(amd.transportFor(3, 4)).isEqualTo(Transport.URPC);
        assertThat(amd.transportFor(3, "other-box", 3)).isEqualTo(Transport.NET);
        assertThat(amd.query("transport(remote(b, 1), remote(b, 2), T)")).containsExactly(Map.of("T", "urpc"));
        assertThat(amd.closestMemoryNode(13)).isEqualTo(3);
        Machine m = TopologyLoader.load("m.topo", """
                machine "m" { clock 1 GHz
                  numa 0 memory 0 B  numa 1 memory 0 B  numa 2 memory 1 GiB  numa 3 memory 1 GiB
                  for p in 0..3 { package p { numa p cores p } }
                  link 0 -- 1 latency 1  link 1 -- 2 latency 1  link 2 -- 3 latency 1 link 3 -- 0 latency 1 }
                """, w -> { });
        Skb skb = Skb.of(m);
        assertThat(skb.closestMemoryNode(0)).isEqualTo(3); // two hops to node 2, one to node 3
        assertThat(skb.closestMemoryNode(1)).isEqualTo(2);
        assertThat(skb.closestMemoryNode(2)).isEqualTo(2);
    }

    @Test
    void badQueriesSayWhatIsWrong() {
        assertThatThrownBy(() -> amd.query("cpu_thread(X")).isInstanceOf(SkbQueryException.class)
                .hasMessageStartingWith("syntax error in goal at column");
        assertThatThrownBy(() -> amd.query("cpu_thred(X, P, C, T)"))
                .hasMessage("unknown predicate cpu_thred/4");
        assertThatThrownBy(() -> amd.query("cpu_thread(X)"))
                .hasMessage("unknown predicate cpu_thread/1 (there is cpu_thread/4)");
        assertThatThrownBy(() -> amd.query("findall(X, nope(X), L)")).hasMessage("unknown predicate nope/1");
        assertThatThrownBy(() -> amd.query("a. b.")).hasMessageContaining("one term");
        assertThatThrownBy(() -> amd.query("  ")).hasMessage("empty goal");
        assertThatThrownBy(() -> amd.query("X is 1 / 0")).hasMessageStartingWith("the query failed");
        assertThat(amd.query("cpu_thread(99, P, _, _)")).isEmpty();
        assertThat(amd.query("cpu_thread(0, 0, 0, 0)")).containsExactly(Map.of());
        assertThatThrownBy(() -> amd.multicastTree(32)).hasMessageContaining("no core 32");
    }

    /** Every core but the root is reached exactly once, by a core that already has the message. */
    static void assertValidTree(Machine m, int root, List<Send> tree) {
        assertThat(tree).hasSize(m.coreCount() - 1);
        Set<Integer> reached = new HashSet<>(List.of(root));
        List<Integer> order = new ArrayList<>();
        for (Send s : tree) {
            assertThat(reached).as("%s sends before it has the message", s).contains(s.from());
            assertThat(reached.add(s.to())).as("%s reaches a core twice", s).isTrue();
            order.add(s.to());
        }
        assertThat(reached).hasSize(m.coreCount());
        // One leader per package: every cross-package send comes from the root.
        for (Send s : tree) {
            if (m.core(s.from()).packageId() != m.core(s.to()).packageId()) {
                assertThat(s.from()).isEqualTo(root);
            }
        }
    }
}
