package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flotilla.codegen.GeneratedInterface;
import io.flotilla.codegen.JavaStubGenerator;
import io.flotilla.codegen.machine.MachineClassGenerator;
import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.topo.TopoResult;
import io.flotilla.dsl.topo.TopologyLanguage;
import io.flotilla.machine.Machines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random edits of the shipped {@code .if} and {@code .topo} files, through the front end and the generator:
 * whatever the edit, compiling ends within a time bound, and every problem is a diagnostic placed in the file,
 * never an exception or an internal error.
 */
class FrontEndMutationFuzzTest {

    /** Text edits lean towards what has broken things: huge numbers, nesting, loops, arrays. */
    private static final List<String> IF_TOKENS = List.of("4096", "9223372036854775807", "-1", "0x7fffffffffffffff",
            "[4096]", "[4096, 4096]", "typedef ", "struct { uint8 a; uint8 b; } ", "uint64 ", "String s[99999999999]",
            "\"", "/*", "rpc ", "message m(", ")", ";", "@a(b=1)", "(", "{", "}", "\n", "out ", "in ", ",", "cap ");
    private static final List<String> TOPO_TOKENS = List.of("0..9223372036854775806", "9223372036854775807",
            "(-9223372036854775807-1)", "*", "/", "%", "-", "(", ")", "{", "}", "for i in 0..99 { ", "package 0 { ",
            "cores 0..65535 ", "numa 0 memory 1 GiB ", "link 0 -- 1 latency 3 ", "measured 0 -- 1 latency 9 ",
            "--", "latency ", "let n = ", "\"", "//", "..", ",", "\n", "0", "smt 2 ", "cache L2 1 MiB private ");

    /** One edit: at a fraction of the text, delete, duplicate, or insert a token. */
    record Edit(int kind, double at, int length, String token) {

        String apply(String text) {
            int pos = (int) (at * text.length());
            int end = Math.min(text.length(), pos + length);
            return switch (kind) {
                case 0 -> text.substring(0, pos) + text.substring(end);
                case 1 -> text.substring(0, end) + text.substring(pos, end) + text.substring(end);
                default -> text.substring(0, pos) + token + text.substring(pos);
            };
        }
    }

    @Property(tries = 100)
    void editedInterfacesCompileOrExplain(@ForAll("interfaces") String original, @ForAll("ifEdits") List<Edit> edits) {
        String text = original;
        for (Edit e : edits) {
            text = e.apply(text);
        }
        SourceFile file = new SourceFile("fuzz.if", text);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            CompileResult result = InterfaceLanguage.compile(file, List.of());
            placed(file, result.diagnostics());
            if (result.model().isPresent()) {
                GeneratedInterface generated = new JavaStubGenerator("fuzz").generate(result.model().get());
                placed(file, generated.diagnostics());
            }
        });
    }

    @Property(tries = 100)
    void editedTopologiesCompileOrExplain(@ForAll("topologies") String original,
            @ForAll("topoEdits") List<Edit> edits) {
        String text = original;
        for (Edit e : edits) {
            text = e.apply(text);
        }
        SourceFile file = new SourceFile("fuzz.topo", text);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            TopoResult result = TopologyLanguage.compile(file);
            placed(file, result.diagnostics());
            result.model().ifPresent(m -> new MachineClassGenerator("fuzz").generate(m));
        });
    }

    private static void placed(SourceFile file, List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            assertThat(d.pos().file()).isEqualTo(file.name());
            assertThat(d.pos().line()).as(d.toString()).isBetween(1, file.lineCount() + 1);
            assertThat(d.pos().column()).as(d.toString()).isPositive();
            assertThat(d.message()).doesNotContain("internal error").doesNotContain("Exception");
        }
    }

    @Provide
    Arbitrary<String> interfaces() {
        // The example applications' interfaces and the language's valid corpus, from the source tree.
        try (Stream<Path> examples = Files.walk(Path.of("..", "examples"));
                Stream<Path> corpus = Files.walk(Path.of("..", "dsl", "src", "test", "resources", "iface", "valid"))) {
            List<String> texts = Stream.concat(examples, corpus).filter(p -> p.toString().endsWith(".if"))
                    .sorted().map(FrontEndMutationFuzzTest::read).toList();
            assertThat(texts).hasSizeGreaterThan(3);
            return Arbitraries.of(texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> topologies() {
        return Arbitraries.of(Machines.list().stream().filter(Machines::isShipped).map(Machines::source).toList());
    }

    @Provide
    Arbitrary<List<Edit>> ifEdits() {
        return edits(IF_TOKENS);
    }

    @Provide
    Arbitrary<List<Edit>> topoEdits() {
        return edits(TOPO_TOKENS);
    }

    private static Arbitrary<List<Edit>> edits(List<String> tokens) {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 40), Arbitraries.of(tokens))
                .as(Edit::new).list().ofMinSize(1).ofMaxSize(6);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
