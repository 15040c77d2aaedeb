package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'flotilla topology' and 'flotilla skb' as a user meets them. */
class TopologySkbCliTest {

    @TempDir
    Path dir;

    @Test
    void listNamesEveryMachine() {
        Run r = flotilla("topology", "list");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("amd-8x4       32 cores    8 packages    8 NUMA nodes  2 GHz")
                .contains("mesh-1024").contains("host");
    }

    @Test
    void showPrintsTheMachineAndItsJson() {
        Run text = flotilla("topology", "show", "amd-8x4");
        assertThat(text.status()).isZero();
        assertThat(text.out()).startsWith("machine amd-8x4: 32 cores, 8 packages, 8 NUMA nodes, 2 GHz\n")
                .contains("  link 2 -- 7: 5 cycles, 4 GB/s\n").contains("    0 1 2 3 1 2 3 3\n");
        Run json = flotilla("topology", "show", "--json", "amd-2x2");
        assertThat(json.status()).isZero();
        assertThat(json.out()).isEqualTo("{\"name\":\"amd-2x2\",\"clock_ghz\":2.8,\"cores\":["
                + "{\"id\":0,\"package\":0,\"numa\":0,\"smt\":0},{\"id\":1,\"package\":0,\"numa\":0,\"smt\":0},"
                + "{\"id\":2,\"package\":1,\"numa\":1,\"smt\":0},{\"id\":3,\"package\":1,\"numa\":1,\"smt\":0}],"
                + "\"packages\":[{\"id\":0,\"cores\":[0,1]},{\"id\":1,\"cores\":[2,3]}],"
                + "\"links\":[{\"a\":0,\"b\":1,\"latency_cycles\":20}],\"hops\":[[0,1],[1,0]]}\n");
    }

    @Test
    void showPrintsTheCostsAFileStatesAsMeasured() throws IOException {
        Path twin = dir.resolve("twin.topo");
        Files.writeString(twin, "machine \"twin\" { clock 2 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1 }"
                + " measured interrupt-trap 150 measured message-cpu 90 }");
        Run r = flotilla("topology", "show", twin.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("  measured costs: message-cpu 90, interrupt-trap 150 cycles\n");
        assertThat(flotilla("topology", "show", "amd-8x4").out()).doesNotContain("measured costs");
    }

    @Test
    void showReportsBadFilesWithPositionsAndUnknownNames() throws IOException {
        Path bad = dir.resolve("bad.topo");
        Files.writeString(bad, "machine \"bad\" {\n  clock 1 GHz\n  package 0 { cores 0 numa }\n}\n");
        Run r = flotilla("topology", "show", bad.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("bad.topo:3:28: error: expected a whole number or expression, found '}'")
                .doesNotContain("Exception");
        Run unknown = flotilla("topology", "show", "amd-9x9");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("unknown machine 'amd-9x9'");
    }

    @Test
    void discoverPrintsTheHostInTheTopologyLanguageAndItParsesBack() throws IOException {
        Run r = flotilla("topology", "discover");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("machine \"host\" {");
        Path file = dir.resolve("host.topo");
        Files.writeString(file, r.out());
        Run back = flotilla("topology", "show", "--json", file.toString());
        assertThat(back.status()).as(back.err()).isZero();
        assertThat(back.out()).startsWith("{\"name\":\"host\"");
    }

    @Test
    void queryPrintsTheMulticastTreeInSendOrder() {
        Run r = flotilla("skb", "query", "--topology", "amd-8x4", "multicast_tree(0, Sends)");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Sends = [sendto(0, 12), sendto(0, 24), sendto(0, 28), sendto(0, 8), "
                + "sendto(0, 20), sendto(0, 4), sendto(0, 16), sendto(0, 1), sendto(0, 2), sendto(0, 3), "
                + "sendto(12, 13),").endsWith("sendto(16, 19)]\n");
        assertThat(r.out().lines()).hasSize(1);
    }

    @Test
    void queryPrintsOneSolutionPerLine() {
        Run r = flotilla("skb", "query", "-t", "amd-2x2", "cpu_thread(C, 1, _, _), closest_memory_node(C, N)");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("C = 2, N = 1\nC = 3, N = 1\n");
        assertThat(flotilla("skb", "query", "-t", "amd-2x2", "transport(0, 0, lrpc)").out()).isEqualTo("true\n");
    }

    @Test
    void queryFailuresExitOneWithAClearMessage() {
        Run none = flotilla("skb", "query", "-t", "amd-2x2", "cpu_thread(9, P, _, _)");
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("flotilla: no solution: cpu_thread(9, P, _, _)\n");
        Run unknown = flotilla("skb", "query", "-t", "amd-2x2", "multicast(0, S)");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("flotilla: unknown predicate multicast/2\n");
        Run syntax = flotilla("skb", "query", "-t", "amd-2x2", "cpu_thread(X");
        assertThat(syntax.status()).isEqualTo(1);
        assertThat(syntax.err()).startsWith("flotilla: syntax error in goal at column").contains("^");
        Run bad = flotilla("skb", "query", "-t", "amd-9x9", "true");
        assertThat(bad.status()).isEqualTo(1);
        assertThat(flotilla("skb", "query").status()).isEqualTo(2);
    }

    @Test
    void theReplAnswersEachLine() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("nr_running_cores(N).\n\ncpu_thread(7, P, _, _).\nfoo(1).\nhalt.\n"
                    .getBytes(StandardCharsets.UTF_8)));
            Run r = flotilla("skb", "repl", "-t", "amd-2x2");
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("?- N = 4\n").contains("?- false.\n")
                    .contains("?- flotilla: unknown predicate foo/1\n");
        } finally {
            System.setIn(stdin);
        }
    }
}
