package io.flotilla.dsl.iface;

import io.flotilla.dsl.source.SourceFile;
import java.nio.file.Path;
import java.util.List;

/** Entry point of the interface-language front end. (Being written.) */
public final class InterfaceLanguage {

    private InterfaceLanguage() {}

    /** Parses and checks {@code file}, with the type declarations of {@code includes} visible to it. */
    public static CompileResult compile(SourceFile file, List<SourceFile> includes) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Reads the files (strict UTF-8) and compiles; unreadable files become diagnostics, not exceptions. */
    public static CompileResult compile(Path file, List<Path> includes) {
        throw new UnsupportedOperationException("not yet");
    }
}
