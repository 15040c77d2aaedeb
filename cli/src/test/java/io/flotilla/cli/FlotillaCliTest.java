package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit statuses, messages, and never a stack trace. */
class FlotillaCliTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void compileGeneratesJavaIntoTheOutputDirectory() throws IOException {
        Path file = write("hello.if", """
                interface hello "Says hello" {
                    message hi(uint32 n, String who[64]);
                    rpc add(in int64 a, in int64 b, out int64 sum);
                };
                """);
        Path out = dir.resolve("gen");
        Run r = flotilla("compile", "-o", out.toString(), "-p", "demo.hello", file.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("interface hello: 1 message, 1 rpc");
        assertThat(out.resolve("demo/hello/Hello.java")).exists();
        assertThat(out.resolve("demo/hello/HelloStub.java")).exists();
        assertThat(out.resolve("demo/hello/HelloHandler.java")).exists();
    }

    @Test
    void checkOnlyValidatesAndWritesNothing() throws IOException {
        Path file = write("hello.if", "interface hello { message hi(); };");
        Run r = flotilla("compile", "--check", "-o", dir.resolve("gen").toString(), file.toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("hello.if: ok");
        assertThat(dir.resolve("gen")).doesNotExist();
    }

    @Test
    void includeFilesProvideSharedTypes() throws IOException {
        Path types = write("types.if", "alias coreid uint8;\nalias domainid uint32;\n");
        Path file = write("spawn.if", "interface spawn { message started(coreid core, domainid d); };");
        Run r = flotilla("compile", "--check", "-i", types.toString(), file.toString());

        assertThat(r.status()).as(r.err()).isZero();
    }

    @Test
    void errorsAreReportedWithPositionsForEveryFileAndExitOne() throws IOException {
        Path bad = write("bad.if", """
                interface bad {
                    message m(uint33 x);
                    message m(uint32 y);
                };
                """);
        Path good = write("good.if", "interface good { message ok(); };");
        Run r = flotilla("compile", "--check", bad.toString(), good.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(bad + ":2:15: error: ", "uint33", bad + ":3:13: error: ");
        assertThat(r.err()).contains("    message m(uint33 x);\n              ^");
        assertThat(r.out()).contains("good.if: ok");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void missingAndBinaryFilesAreDiagnosticsNotStackTraces() throws IOException {
        Path binary = dir.resolve("garbage.if");
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        Files.write(binary, bytes);
        Run r = flotilla("compile", "--check", dir.resolve("missing.if").toString(), binary.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("missing.if:1:1: error:", "garbage.if:");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void badCommandLinesExitTwoWithUsage() {
        Run noFiles = flotilla("compile");
        assertThat(noFiles.status()).isEqualTo(2);
        assertThat(noFiles.err()).contains("Missing required parameter", "Usage: flotilla compile ...; see 'flotilla"
                + " compile --help'").hasLineCount(2);

        Run badPackage = flotilla("compile", "-p", "not a package", "x.if");
        assertThat(badPackage.status()).isEqualTo(2);
        assertThat(badPackage.err()).contains("is not a Java package name");

        Run unknown = flotilla("frobnicate");
        assertThat(unknown.status()).isEqualTo(2);
    }

    @Test
    void demoReproducesFigureSixThenSwapsATransportOnPinnedCores() {
        Path out = dir.resolve("demo");
        Run r = flotilla("demo", "--pings", "2000", "--out", out.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Figure 6", "Broadcast", "Unicast", "NUMA-aware multicast", "fig6-tlb-shootdown.png",
                "2000 pongs", "7 of 7 replies correct", "swapped to: ", "demo: ok");
        // one row per core count of the quick sweep
        assertThat(r.out().lines().filter(l -> l.matches("\\s+(2|4|8|16|32)\\s+\\d+.*"))).hasSize(5);
        assertThat(out.resolve("fig6-tlb-shootdown.png")).exists();
        assertThat(out.resolve("report.md")).exists();
    }

    @Test
    void benchHelpDescribesTheTransportBenchmark() {
        Run r = flotilla("bench", "transports", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--quick", "--json", "--one-jvm", "urpc", "Agrona");
    }

    static final String TWO_BY_TWO = """
            machine "tiny-2x2" {
                clock 2.0 GHz
                for p in 0..1 {
                    package p {
                        numa p memory 1 GiB
                        cores 2*p .. 2*p + 1
                        cache L2 1 MiB line 64 assoc 16 private
                        local latency 400
                    }
                }
                remote latency 500
                link 0 -- 1 latency 20 bandwidth 8 GB/s
            }
            """;

    @Test
    void compileTurnsATopologyIntoAMachineClass() throws IOException {
        Path topo = write("tiny.topo", TWO_BY_TWO);
        Path out = dir.resolve("gen");
        Run r = flotilla("compile", "-o", out.toString(), "-p", "demo.machines", topo.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("machine tiny-2x2: 4 cores, 2 packages");
        assertThat(out.resolve("demo/machines/Tiny2x2Machine.java")).exists();
    }

    @Test
    void topologyErrorsArePositionedAndExitOne() throws IOException {
        Path topo = write("broken.topo", TWO_BY_TWO.replace("link 0 -- 1", "link 0 -- 7"));
        Run r = flotilla("compile", "--check", topo.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(topo + ":12:").contains("error:");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void skbMeasureRunsTheOnlineProbeWithinItsBudget() {
        Run zero = flotilla("skb", "measure", "--budget-ms", "0");
        assertThat(zero.status()).as(zero.err()).isZero();
        assertThat(zero.out()).doesNotContain("message_rtt(");

        Run bad = flotilla("skb", "measure", "--budget-ms", "-5");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--budget-ms");
    }

    @Test
    void runBootsTheSimulatedMachineAndEndsWithItsTraceHash() {
        Run r = flotilla("run", "--platform", "sim", "--topology", "amd-8x4", "--seed", "3", "--pings", "500",
                "ping-pong");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("ping-pong on sim (amd-8x4): client on core 0, server on core 4",
                "500 pings, 500 pongs", "7 of 7 replies correct");
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()).matches("trace-hash: [0-9a-f]+");
        assertThat(flotilla("run", "--seed", "3", "--pings", "500", "ping-pong").out()).isEqualTo(r.out());
    }

    @Test
    void runWritesATraceAndPrintsMetrics() throws IOException {
        Path trace = dir.resolve("out.json");
        Run r = flotilla("run", "--trace", trace.toString(), "--pings", "100", "ping-pong");

        assertThat(r.status()).as(r.err()).isZero();
        // 100 pings and pongs, a say, 7 checksum calls and replies (4096 bytes takes many frames, still 1 message)
        assertThat(r.out()).contains("metrics: 215 messages sent, 215 received", "delivery latency: p50 ",
                "trace: ", "out.json (open it in ui.perfetto.dev)");
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()).matches("trace-hash: [0-9a-f]+");
        String json = Files.readString(trace, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"traceEvents\":[").endsWith("],\"displayTimeUnit\":\"ns\"}\n")
                .contains("\"name\":\"thread_name\"", "\"ph\":\"X\"", "\"ph\":\"s\"", "\"ph\":\"f\"");
        // tracing changes nothing the run computes
        String untraced = flotilla("run", "--pings", "100", "ping-pong").out();
        assertThat(untraced.lines().filter(l -> l.startsWith("trace-hash: ")))
                .containsExactlyElementsOf(r.out().lines().filter(l -> l.startsWith("trace-hash: ")).toList());
    }

    @Test
    void runRefusesUnknownExamplesAndCores() {
        assertThat(flotilla("run", "pong-ping").status()).isEqualTo(2);
        Run badCore = flotilla("run", "--server", "99", "ping-pong");
        assertThat(badCore.status()).isEqualTo(2);
        assertThat(badCore.err()).contains("Core 99 does not exist on amd-8x4");
    }

    @Test
    void runReplicatesAKeyValueMapOnEveryCoreOfTheSimulatedMachine() {
        Run r = flotilla("run", "--cores", "8", "--writes", "20", "replicated-kv");

        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("amd-8x4");
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()).matches("trace-hash: [0-9a-f]+");
        assertThat(r.out()).contains("two-phase commit with per-key locks", "80 of 80 writes committed",
                "replicas identical: true");
        Run sequenced = flotilla("run", "--cores", "8", "--writes", "20", "--protocol", "sequencer", "replicated-kv");
        assertThat(sequenced.status()).as(sequenced.out() + sequenced.err()).isZero();
        assertThat(sequenced.out()).contains("sequencer on core 0", "80 of 80 writes committed");
        Run paxos = flotilla("run", "--protocol", "paxos", "replicated-kv");
        assertThat(paxos.status()).isEqualTo(2);
        assertThat(paxos.err()).contains("--protocol", "'paxos'", "sequencer, two-phase");

        Run tooMany = flotilla("run", "--cores", "64", "replicated-kv");
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).contains("amd-8x4 has 32 cores");
    }
}
