package io.flotilla.dsl.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the corpus against its golden diagnostics: {@code foo.if} beside {@code foo.expected}, which holds
 * the exact rendered output (a valid file without one must compile silently).
 */
class CorpusTest {

    static Stream<Path> validFiles() {
        return Corpus.files("valid").stream();
    }

    static Stream<Path> invalidFiles() {
        return Corpus.files("invalid").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void validFileCompilesToAModel(Path file) throws IOException {
        CompileResult result = InterfaceLanguage.compile(Corpus.load(file), Corpus.includes());

        assertThat(result.hasErrors()).as(result.render()).isFalse();
        assertThat(result.model()).isPresent();
        assertThat(result.render()).isEqualTo(expected(file, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void invalidFileGivesExactlyTheExpectedDiagnostics(Path file) throws IOException {
        CompileResult result = InterfaceLanguage.compile(Corpus.load(file), Corpus.includes());

        assertThat(result.hasErrors()).isTrue();
        assertThat(result.model()).isEmpty();
        assertThat(result.render()).isEqualTo(expected(file, null));
    }

    private static String expected(Path file, String otherwise) throws IOException {
        Path golden = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.if$", ".expected"));
        if (!Files.exists(golden)) {
            assertThat(otherwise).as("missing golden file " + golden).isNotNull();
            return otherwise;
        }
        return Files.readString(golden).stripTrailing();
    }
}
