package io.flotilla.dsl.iface;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.diag.Severity;
import io.flotilla.dsl.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken input: never a stack trace, never a hang, always a positioned diagnostic. */
class RobustnessTest {

    @TempDir
    Path dir;

    private static CompileResult compile(String text) {
        return InterfaceLanguage.compile(new SourceFile("test.if", text), List.of());
    }

    private static void assertFailsWithDiagnosticsInside(CompileResult result, SourceFile file) {
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.model()).isEmpty();
        assertThat(result.diagnostics()).allSatisfy(d -> {
            assertThat(d.pos().file()).isEqualTo(file.name());
            assertThat(d.pos().line()).isBetween(1, file.lineCount() + 1);
            assertThat(d.pos().column()).isPositive();
        });
        assertThat(result.render()).doesNotContain("Exception").doesNotContain("internal error");
    }

    @Test
    void everyTruncationOfAValidFileIsAnErrorNotACrash() {
        SourceFile whole = Corpus.load(Corpus.ROOT.resolve("valid/blockstore.if"));
        String text = whole.text();
        int end = text.lastIndexOf("};");
        for (int cut = 0; cut < end; cut++) {
            var truncated = new SourceFile("blockstore.if", text.substring(0, cut));
            assertFailsWithDiagnosticsInside(InterfaceLanguage.compile(truncated, List.of()), truncated);
        }
    }

    @Test
    void emptyFile() {
        assertThat(compile("").render()).isEqualTo("test.if:1:1: error: expected 'interface', found end of file\n\n^");
    }

    @Test
    void fileOfOnlyComments() {
        CompileResult result = compile("// nothing\n/* to /* see */ here */\n");

        assertThat(result.diagnostics()).extracting(Diagnostic::headline)
                .containsExactly("test.if:2:24: error: expected 'interface', found end of file");
    }

    @Test
    void invalidUtf8BecomesADiagnostic() throws IOException {
        Path file = dir.resolve("binary.if");
        Files.write(file, new byte[] {'i', 'n', '\n', (byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF});

        CompileResult result = InterfaceLanguage.compile(file, List.of());

        assertThat(result.model()).isEmpty();
        assertThat(result.diagnostics()).extracting(Diagnostic::headline).containsExactly(
                file + ":2:1: error: file is not valid UTF-8 text (first bad byte at offset 3)");
    }

    @Test
    void validUtf8GarbageGivesDiagnostics() {
        var random = new Random(42);
        var garbage = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            garbage.appendCodePoint(random.nextInt(0x3000));
        }
        var file = new SourceFile("test.if", garbage.toString().replace('\uD800', 'x'));

        assertFailsWithDiagnosticsInside(InterfaceLanguage.compile(file, List.of()), file);
    }

    @Test
    void missingFileAndDirectory() {
        Path missing = dir.resolve("missing.if");

        assertThat(InterfaceLanguage.compile(missing, List.of()).render())
                .isEqualTo(missing + ":1:1: error: cannot read file: no such file");
        assertThat(InterfaceLanguage.compile(dir.resolve("ok.if"), List.of(dir)).diagnostics())
                .extracting(Diagnostic::headline)
                .hasSize(2)
                .allMatch(h -> h.contains(":1:1: error: cannot read file: "));
    }

    @Test
    void readsFilesFromDisk() throws IOException {
        Path inc = Files.writeString(dir.resolve("inc.if"), "alias coreid uint8;\n");
        Path file = Files.writeString(dir.resolve("disk.if"), "interface disk { message m(coreid c); };\n");

        CompileResult result = InterfaceLanguage.compile(file, List.of(inc));

        assertThat(result.hasErrors()).as(result.render()).isFalse();
        assertThat(result.sources()).containsOnlyKeys(inc.toString(), file.toString());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void tenThousandNestedComments() {
        String nested = "/*".repeat(10_000) + " deep " + "*/".repeat(10_000);
        CompileResult result = compile(nested + "\ninterface test { message m(); };");

        assertThat(result.hasErrors()).as(result.render()).isFalse();

        CompileResult unclosed = compile("interface test { message m(); };\n" + "/*".repeat(10_000));
        assertThat(unclosed.diagnostics()).extracting(Diagnostic::headline)
                .containsExactly("test.if:2:1: error: unterminated comment");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void deeplyNestedBracesAndParens() {
        String text = "interface test { message m" + "(".repeat(200_000) + "{".repeat(200_000) + "[".repeat(100_000);
        var file = new SourceFile("test.if", text);

        assertFailsWithDiagnosticsInside(InterfaceLanguage.compile(file, List.of()), file);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenMegabytesOfMessages() {
        var text = new StringBuilder("interface test {\n");
        int i = 0;
        while (text.length() < 10_000_000) {
            text.append("  rpc r").append(i++).append("(in uint32 a, in uint8 b[n, 10], out errval e);\n");
        }
        text.append("};\n");

        CompileResult result = compile(text.toString());

        // Well-formed, but more than 65,000 wire messages: exactly one error.
        assertThat(result.diagnostics()).extracting(Diagnostic::headline)
                .containsExactly("test.if:32502:7: error: too many messages: at most 65000 per interface, an rpc "
                        + "counting as two");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenMegabytesOfGarbageStopsAfterAHundredErrors() {
        String junk = "message m(uint32 a) uint8 ;\n".repeat(400_000);
        var file = new SourceFile("test.if", "interface test {\n" + junk);

        CompileResult result = InterfaceLanguage.compile(file, List.of());

        assertThat(result.diagnostics()).hasSize(Diagnostics.LIMIT + 1);
        Diagnostic last = result.diagnostics().get(Diagnostics.LIMIT);
        assertThat(last.severity()).isEqualTo(Severity.NOTE);
        assertThat(last.message()).isEqualTo("too many errors; stopped after the first 100");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tenMegabytesOnOneLine() {
        String text = "interface test { message m(); }; " + "x".repeat(10_000_000);

        CompileResult result = compile(text);

        assertThat(result.model()).isPresent();
        assertThat(result.render()).hasSizeLessThan(500).contains("warning: text after the end");
    }

    @Test
    void hugeNumbersAreRangeErrors() {
        CompileResult result = compile("interface test { message m(String s[" + "9".repeat(100_000) + "]); };");

        assertThat(result.diagnostics()).extracting(Diagnostic::message).containsExactly(
                "maximum string length must be between 1 and 16777216, not a number that large");
    }

    @Test
    void columnsCountUtf16CharsAfterAnEmoji() {
        CompileResult result = compile("interface test { /* \uD83D\uDE00 */ message m(nope x); };");

        assertThat(result.diagnostics()).extracting(Diagnostic::headline)
                .containsExactly("test.if:1:37: error: unknown type 'nope'");
        assertThat(result.render()).endsWith("\n" + " ".repeat(36) + "^");
    }

    @Test
    void bytesOfAllKindsDecodeOrFailCleanly() {
        byte[] bytes = "interface test { message m(); };\u0000\u0001".getBytes(StandardCharsets.UTF_8);
        var file = new SourceFile("test.if", new String(bytes, StandardCharsets.UTF_8));

        assertThat(InterfaceLanguage.compile(file, List.of()).render())
                .startsWith("test.if:1:33: warning: text after the end of the interface is ignored");
    }
}
