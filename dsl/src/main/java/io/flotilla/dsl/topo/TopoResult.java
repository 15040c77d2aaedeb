package io.flotilla.dsl.topo;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.diag.DiagnosticRenderer;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.topo.model.Topology;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of checking one topology file: the expanded model when there were no errors, and every diagnostic.
 *
 * @param sources the file read (by name), so diagnostics can be rendered with their source line
 */
public record TopoResult(Optional<Topology> model, List<Diagnostic> diagnostics, Map<String, SourceFile> sources) {

    public TopoResult {
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
