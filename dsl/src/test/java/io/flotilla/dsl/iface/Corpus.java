package io.flotilla.dsl.iface;

import io.flotilla.dsl.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The test corpus under src/test/resources/iface, read the way the tests need it. */
final class Corpus {

    static final Path ROOT = Path.of("src/test/resources/iface");

    private Corpus() {}

    /** The three include files, as a build passes them: platform, arch, types. */
    static List<SourceFile> includes() {
        return Stream.of("platform.if", "arch.if", "types.if").map(n -> load(ROOT.resolve("include").resolve(n)))
                .toList();
    }

    /** The .if files of a corpus directory, sorted. */
    static List<Path> files(String dir) {
        try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
            return s.filter(p -> p.toString().endsWith(".if")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file, named by its base name so that golden diagnostics do not depend on the working directory. */
    static SourceFile load(Path path) {
        try {
            return SourceFile.decode(path.getFileName().toString(), Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CompileResult compile(String dir, String name) {
        return InterfaceLanguage.compile(load(ROOT.resolve(dir).resolve(name)), includes());
    }

    static CompileResult compile(String text) {
        return InterfaceLanguage.compile(new SourceFile("test.if", text), List.of());
    }
}
