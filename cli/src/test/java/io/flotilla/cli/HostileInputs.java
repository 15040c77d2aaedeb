package io.flotilla.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The hostile-input corpus: inputs that once crashed, hung or lied (issue 17), each run through the real
 * {@code flotilla} entry point. {@link #main} runs them all in one JVM that {@link HostileInputCorpusTest} starts
 * with a small heap, and reports each case's exit status, time and error output.
 */
final class HostileInputs {

    /**
     * One input and what must come of it.
     *
     * @param headline what the first line of standard error must start with (after the input's files are named)
     */
    record Case(String name, int status, String headline, String... args) {}

    private HostileInputs() {}

    /** Writes the corpus's input files under {@code dir} and returns its cases. */
    static List<Case> corpus(Path dir) throws IOException {
        List<Case> cases = new ArrayList<>();
        String out = dir.resolve("generated").toString();

        // --- .if --------------------------------------------------------------------------------------------------
        cases.add(new Case("if-dev-zero", 1, "/dev/zero:1:1: error: file too large: more than 16777216 bytes",
                "compile", "--check", "/dev/zero"));
        Path nested = write(dir, "nested.if", """
                interface nested {
                typedef uint8 a0[4096];
                typedef struct { a0 x; a0 y; } s1; typedef s1 a1[4096];
                typedef struct { a1 x; a1 y; } s2; typedef s2 a2[4096];
                typedef struct { a2 x; a2 y; } s3; typedef s3 a3[4096];
                typedef struct { a3 x; a3 y; } s4;
                message m(s4 v, s4 w);
                };
                """);
        String nestedError = nested + ":7:9: error: message 'm' has 9007199254740992 fixed-size fields";
        cases.add(new Case("if-nested-arrays", 1, nestedError, "compile", "-o", out, nested.toString()));
        cases.add(new Case("if-nested-arrays-check", 1, nestedError, "compile", "--check", nested.toString()));
        Path description = write(dir, "described.if", "interface described \"" + "d".repeat(70_000)
                + "\" {\n message m(uint8 a);\n};\n");
        cases.add(new Case("if-70kB-description", 1, description + ":1:11: error: the description of interface"
                + " 'described' is 70000 bytes long", "compile", "-o", out, description.toString()));
        Path arguments = write(dir, "wide.if", "interface wide {\n message m("
                + IntStream.range(0, 100_000).mapToObj(i -> "uint8 a" + i).collect(Collectors.joining(", "))
                + ");\n};\n");
        cases.add(new Case("if-100000-arguments", 1, arguments + ":2:10: error: message 'm' needs 100000 parameter"
                + " slots", "compile", "--check", arguments.toString()));

        // --- .topo ------------------------------------------------------------------------------------------------
        Path zeroTopo = dir.resolve("zero.topo");
        Files.createSymbolicLink(zeroTopo, Path.of("/dev/zero"));
        cases.add(new Case("topo-dev-zero", 1, zeroTopo + ":1:1: error: file too large: more than 16777216 bytes",
                "compile", "--check", zeroTopo.toString()));
        Path loop = write(dir, "loop.topo",
                "machine \"l\" {\n  clock 1 GHz\n  for i in 0..9223372036854775806 { }\n}\n");
        cases.add(new Case("topo-empty-loop", 1, loop + ":3:12: error: too much work", "compile", "--check",
                loop.toString()));
        cases.add(new Case("topo-empty-loop-skb", 1, loop + ":3:12: error: too much work", "skb", "query",
                "--topology", loop.toString(), "true"));
        Path overflow = write(dir, "overflow.topo", "machine \"o\" {\n  clock 1 GHz\n"
                + "  let x = (-9223372036854775807-1)/-1\n  package 0 { numa 0 memory 1 GiB cores 0..1 }\n}\n");
        cases.add(new Case("topo-division-overflow", 1, overflow + ":3:11: error: number too large (overflow)",
                "compile", "--check", overflow.toString()));
        Path huge = write(dir, "huge.topo", """
                machine "huge" {
                    clock 2 GHz
                    for p in 0..15 { package p { numa p memory 1 GiB  cores p * 4096 .. p * 4096 + 4095 } }
                    for p in 0..14 { link p -- p + 1 latency 100 }
                }
                """);
        cases.add(new Case("topo-65536-cores-generates", 0, "", "compile", "-o", out, huge.toString()));

        // --- SKB goals --------------------------------------------------------------------------------------------
        cases.add(new Case("skb-depth-8000", 1, "flotilla: goal nested too deeply at column 69", "skb", "query",
                "--topology", "amd-2x2", "X = " + "[".repeat(8000) + "]".repeat(8000)));
        cases.add(new Case("skb-2000-empty-lists", 1, "flotilla: goal too complex at column 391: more than 128 lists",
                "skb", "query", "--topology", "amd-2x2", "X = f(" + "[],".repeat(2000) + "1)"));
        cases.add(new Case("skb-power-overflow", 1, "flotilla: the query failed: integer overflow: 2 ^ 200", "skb",
                "query", "--topology", "amd-2x2", "X is 2 ^ 200"));
        cases.add(new Case("skb-java-bridge", 1, "flotilla: the query failed: pj_add_predicate/2 is not available",
                "skb", "query", "--topology", "amd-2x2", "pj_add_predicate(foo/1, 'java.lang.Runtime')"));
        cases.add(new Case("skb-read-stdin", 1, "flotilla: the query failed: read/1 is not available", "skb",
                "query", "--topology", "amd-2x2", "read(X)"));

        // --- --secret-file ----------------------------------------------------------------------------------------
        cases.add(new Case("secret-dev-zero", 1, "flotilla: --secret-file /dev/zero holds more than 4096 bytes",
                "node", "--id", "0", "--peers", "127.0.0.1:1,127.0.0.1:2", "--secret-file", "/dev/zero", "--cores",
                "0", "ping-pong"));
        return cases;
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /**
     * Runs every case of the corpus under {@code args[0]} and prints, per case, {@code @@case NAME STATUS MILLIS},
     * its standard error, and {@code @@end}. A case that hangs leaves its {@code @@start} line last.
     */
    public static void main(String[] args) throws IOException {
        var report = new PrintWriter(System.out, true);
        for (Case c : corpus(Path.of(args[0]))) {
            report.println("@@start " + c.name());
            var out = new StringWriter();
            var err = new StringWriter();
            long start = System.nanoTime();
            int status = Flotilla.run(c.args(), new PrintWriter(out, true), new PrintWriter(err, true));
            long millis = (System.nanoTime() - start) / 1_000_000;
            report.println("@@case " + c.name() + " " + status + " " + millis);
            report.print(err);
            report.println("@@end");
        }
    }
}
