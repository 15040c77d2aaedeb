package io.flotilla.codegen;

import com.palantir.javapoet.JavaFile;
import io.flotilla.dsl.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java sources generated for one interface, and the warnings generation produced (renamed identifiers).
 */
public record GeneratedInterface(List<JavaFile> files, List<Diagnostic> diagnostics) {

    public GeneratedInterface {
        files = List.copyOf(files);
        diagnostics = List.copyOf(diagnostics);
    }

    /** Writes every file under {@code sourceRoot} (package directories are created) and returns their paths. */
    public List<Path> writeTo(Path sourceRoot) throws IOException {
        var written = new ArrayList<Path>();
        for (JavaFile f : files) {
            written.add(f.writeToPath(sourceRoot));
        }
        return written;
    }
}
