package io.flotilla.dsl.iface;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.diag.DiagnosticRenderer;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.source.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of checking one interface file: the model when there were no errors, and every diagnostic found,
 * in file order (includes first).
 *
 * @param sources every file read, by name, so diagnostics can be rendered with their source line
 */
public record CompileResult(Optional<Interface> model, List<Diagnostic> diagnostics, Map<String, SourceFile> sources) {

    public CompileResult {
        diagnostics = List.copyOf(diagnostics);
        sources = Map.copyOf(sources);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /** Every diagnostic rendered with its source line and caret, separated by newlines; "" if none. */
    public String render() {
        var renderer = new DiagnosticRenderer(sources);
        return diagnostics.stream().map(renderer::render).collect(Collectors.joining("\n"));
    }
}
