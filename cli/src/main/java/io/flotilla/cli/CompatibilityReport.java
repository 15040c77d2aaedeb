package io.flotilla.cli;

import io.flotilla.codegen.CompatibilityCheck;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.iface.model.Interface;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code flotilla compile --breaking-against OLD NEW}: prints each change of an interface and exits by the worst. */
final class CompatibilityReport {

    /** Exit status when the worst change breaks source compatibility only. */
    static final int EXIT_SOURCE_BREAKING = 3;
    /** Exit status when a change breaks the wire. */
    static final int EXIT_WIRE_BREAKING = 4;

    private CompatibilityReport() {}

    static int run(Path older, Path newer, List<Path> includes, PrintWriter out, PrintWriter err) {
        Interface a = load(older, includes, err);
        Interface b = load(newer, includes, err);
        if (a == null || b == null) {
            return Flotilla.EXIT_INPUT_ERROR;
        }
        CompatibilityCheck.Report report;
        try {
            report = CompatibilityCheck.compare(a, b);
        } catch (IllegalArgumentException e) {
            err.println("flotilla: " + e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        }
        for (CompatibilityCheck.Change c : report.changes()) {
            out.println(c.render());
        }
        out.printf("%s -> %s: %s; wire fingerprint %016x -> %016x%n", older, newer,
                report.changes().isEmpty() ? "no changes" : report.worst().label(), report.oldFingerprint(),
                report.newFingerprint());
        return switch (report.worst()) {
            case COMPATIBLE -> 0;
            case SOURCE_BREAKING -> EXIT_SOURCE_BREAKING;
            case WIRE_BREAKING -> EXIT_WIRE_BREAKING;
        };
    }

    private static Interface load(Path file, List<Path> includes, PrintWriter err) {
        CompileResult result = InterfaceLanguage.compile(file, includes);
        if (!result.diagnostics().isEmpty()) {
            err.println(result.render());
        }
        return result.hasErrors() ? null : result.model().orElseThrow();
    }
}
