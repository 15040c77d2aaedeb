package io.flotilla.dsl.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.source.MalformedSourceException;
import io.flotilla.dsl.source.SourceFile;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the input, compiling returns (quickly) and explains any failure with positioned diagnostics. */
class FuzzTest {

    private static final List<String> TOKENS = List.of("interface", "INTERFACE", "message", "rpc", "in", "out",
            "alias", "typedef", "struct", "enum", "String", "uint8", "uint64", "cap", "errval", "int", "x", "y",
            "len", "42", "0x1F", "0o7", "-1", "+3", "\"desc\"", "\"bad\\q\"", "\"open", "{", "}", "(", ")", "[", "]",
            ";", ",", "=", "@", "@ann", "//c\n", "/*", "*/", "/* c */", "\n", " ", "_", "#", "\u00e9t\u00e9", "x'");

    @Property(tries = 300)
    void randomBytesNeverThrow(@ForAll byte[] bytes) {
        SourceFile file;
        try {
            file = SourceFile.decode("fuzz.if", bytes);
        } catch (MalformedSourceException e) {
            assertThat(e.pos().line()).isPositive();
            return;
        }
        check(file);
    }

    @Property(tries = 1000)
    void tokenSoupsNeverThrow(@ForAll("soups") String text) {
        check(new SourceFile("fuzz.if", text));
    }

    @Property(tries = 300)
    void soupsInsideAValidFrameNeverThrow(@ForAll("soups") String text) {
        check(new SourceFile("fuzz.if", "interface fuzz {\n" + text + "\nmessage m();\n};\n"));
    }

    @Provide
    Arbitrary<String> soups() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(60).map(l -> String.join(" ", l));
    }

    private static void check(SourceFile file) {
        CompileResult result = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> InterfaceLanguage.compile(file, List.of()));
        assertThat(result.model().isPresent()).isNotEqualTo(result.hasErrors());
        assertThat(result.diagnostics()).hasSizeLessThanOrEqualTo(2 * Diagnostics.LIMIT + 1);
        for (Diagnostic d : result.diagnostics()) {
            assertThat(d.pos().file()).isEqualTo("fuzz.if");
            assertThat(d.pos().line()).isBetween(1, file.lineCount() + 1);
            assertThat(d.pos().column()).isPositive();
            assertThat(d.message()).doesNotContain("internal error");
        }
        assertThat(result.render()).isNotNull();
    }
}
