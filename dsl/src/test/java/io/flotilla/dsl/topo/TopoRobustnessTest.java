package io.flotilla.dsl.topo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.source.SourceFile;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile input: never an exception, never a hang, always an error that says where. */
class TopoRobustnessTest {

    private static final String GOOD = """
            machine "g" {
                clock 2 GHz
                let n = 4
                for p in 0..3 {
                    package p { numa p memory 1 GiB cores p*n .. p*n + n - 1 smt 2
                                cache L1d 32 KiB private cache L3 8 MiB shared latency 40 }
                }
                for p in 0..2 { link p -- p + 1 latency 10 bandwidth 8 GB/s }
                measured 0 -- 15 latency 900
            }
            """;

    private static TopoResult compile(String text) {
        return TopologyLanguage.compile(new SourceFile("x.topo", text));
    }

    private static void failsCleanly(String text) {
        TopoResult r = compile(text);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.model()).isEmpty();
        assertThat(r.render()).startsWith("x.topo:").doesNotContain("Exception").doesNotContain("internal error");
    }

    @Test
    @Timeout(30)
    void everyTruncationOfAGoodFileFailsCleanly() {
        assertThat(compile(GOOD).hasErrors()).isFalse();
        for (int cut = 0; cut < GOOD.length() - 2; cut++) {
            failsCleanly(GOOD.substring(0, cut));
        }
    }

    @Test
    @Timeout(30)
    void randomMutationsNeverThrow() {
        var random = new Random(42);
        String alphabet = "{}()..--=+-*/%;,\"0123456789 \nabcLpx$\u00e9\u0000";
        for (int i = 0; i < 2000; i++) {
            var b = new StringBuilder(GOOD);
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            TopoResult r = compile(b.toString());
            assertThat(r.render()).doesNotContain("internal error");
        }
    }

    @Test
    @Timeout(30)
    void binaryGarbageFailsCleanly() {
        var random = new Random(7);
        for (int i = 0; i < 50; i++) {
            char[] chars = new char[random.nextInt(5000)];
            for (int k = 0; k < chars.length; k++) {
                chars[k] = (char) random.nextInt(0x3000);
            }
            failsCleanly("machine \"g\" {" + new String(chars));
        }
    }

    @Test
    @Timeout(20)
    void hugeLoopsStopWithAMessageInsteadOfRunningForEver() {
        long start = System.nanoTime();
        TopoResult r = compile("machine \"h\" { clock 1 GHz for i in 0..9000000000000000000 { let x = i } }");
        assertThat(r.render()).contains("too much work");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        failsCleanly("machine \"h\" { clock 1 GHz package 0 { cores 0..100000000 } }");
        assertThat(compile("machine \"h\" { clock 1 GHz package 0 { cores 0..100000000 } }").render())
                .contains("too many entries in 'cores' (at most 65536)");
    }

    @Test
    @Timeout(20)
    void deepNestingIsRefusedBeforeTheParserRecurses() {
        String deep = "machine \"d\" { clock 1 GHz let x = " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " }";
        assertThat(compile(deep).render()).contains("nested too deeply");
        String longSum = "machine \"d\" { clock 1 GHz let x = 1" + " + 1".repeat(200_000) + " }";
        assertThat(compile(longSum).render()).doesNotContain("internal error").doesNotContain("Exception");
    }

    @Test
    @Timeout(20)
    void aMegabyteFileOfRepeatedMistakesStopsAfterTheLimit() {
        String text = "machine \"m\" { clock 1 GHz " + "link 0 -- 1 latency 1\n".repeat(50_000) + "}";
        TopoResult r = compile(text);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.diagnostics().size()).isLessThanOrEqualTo(TopoDiagnostics.LIMIT + 1);
    }

    @Test
    void unreadableFilesAreDiagnostics() throws Exception {
        var dir = java.nio.file.Files.createTempDirectory("topo");
        TopoResult missing = TopologyLanguage.compile(dir.resolve("none.topo"));
        assertThat(missing.render()).endsWith("none.topo:1:1: error: cannot read file: no such file");
        var bad = dir.resolve("bad.topo");
        java.nio.file.Files.write(bad, new byte[] {'m', (byte) 0xff, (byte) 0xfe});
        assertThat(TopologyLanguage.compile(bad).render()).contains("not valid UTF-8");
    }

    @Test
    @Timeout(10)
    void anEmptyLoopOverAHugeRangeCostsItsIterations() {
        String text = "machine \"h\" {\n  clock 1 GHz\n  for i in 0..9223372036854775806 { }\n}";
        compile(text); // warm up the parser: the bound below is for the evaluator
        long start = System.nanoTime();
        TopoResult r = compile(text);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
        assertThat(r.diagnostics()).filteredOn(d -> d.isError()).singleElement()
                .satisfies(d -> assertThat(d.headline()).startsWith("x.topo:3:12: error: too much work"));
        // The same inside a package, and a list of ranges each short but together too long.
        failsCleanly("machine \"h\" { clock 1 GHz package 0 { for i in 0..9223372036854775806 { } } }");
        assertThat(compile("machine \"h\" { clock 1 GHz for i in " + "0..999999, ".repeat(20) + "0 { } }")
                .render()).contains("too much work");
        // A budget-sized loop whose body works is stopped by the same count, iteration by iteration.
        start = System.nanoTime();
        assertThat(compile("machine \"h\" { clock 1 GHz for i in 0..3000 { for j in 0..3000 { } } }").render())
                .contains("too much work");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // Loop names are fresh in each iteration and unseen by the list's own expressions.
        assertThat(compile("machine \"h\" { clock 1 GHz for i in 0..2 { let y = i } for k in 0..1, i..2 { } }")
                .render()).contains("undefined name 'i'").doesNotContain("already defined");
    }

    @Test
    void arithmeticOverflowIsAPositionedError() {
        for (String e : java.util.List.of("(-9223372036854775807-1)/-1", "9223372036854775807+1",
                "-9223372036854775807-2", "4611686018427387904*2", "-(-9223372036854775807-1)",
                "(-9223372036854775807-1)*-1")) {
            TopoResult r = compile("machine \"o\" {\n  clock 1 GHz\n  let x = " + e + "\n}");
            assertThat(r.diagnostics()).as(e).filteredOn(d -> d.message().contains("overflow")).singleElement()
                    .satisfies(d -> assertThat(d.headline()).startsWith("x.topo:3:")
                            .contains("error: number too large (overflow)"));
        }
        // The edges themselves are fine.
        assertThat(compile("machine \"o\" { clock 1 GHz let x = (-9223372036854775807-1)/1 "
                + "let y = 9223372036854775806+1 let z = (-9223372036854775807-1) % -1 }").render())
                .doesNotContain("overflow");
        // A range that ends at the largest number stops there instead of wrapping round.
        assertThat(compile("machine \"o\" { clock 1 GHz for i in 9223372036854775805..9223372036854775807 { } }")
                .render()).doesNotContain("too much work").doesNotContain("overflow");
    }

    @Test
    @Timeout(10)
    void aDeviceThatNeverEndsIsRefusedAfterTheSizeLimit() {
        java.nio.file.Path zero = java.nio.file.Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(zero));
        TopoResult r = TopologyLanguage.compile(zero);
        assertThat(r.render()).isEqualTo("/dev/zero:1:1: error: file too large: more than "
                + TopoLimits.MAX_FILE_BYTES + " bytes, at most " + TopoLimits.MAX_FILE_BYTES);
    }
}
