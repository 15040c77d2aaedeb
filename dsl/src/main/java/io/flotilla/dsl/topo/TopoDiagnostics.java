package io.flotilla.dsl.topo;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the diagnostics of one topology compilation: at most {@link #LIMIT} errors, and of a mistake inside a
 * {@code for} body only its first iteration. One error past the limit
 * throws {@link TooMany}, which ends the compilation at once.
 */
final class TopoDiagnostics {

    static final int LIMIT = 100;

    /** Control flow only: abandons the compilation. */
    static final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooMany() {
            super("too many diagnostics", null, false, false);
        }
    }

    private final List<Diagnostic> found = new ArrayList<>();
    /** What has been reported: a place (for mistakes inside loops) or a place and a message. */
    private final Set<Object> reported = new HashSet<>();
    private int errors;
    private SourcePos overflowAt;

    void error(SourcePos pos, String message) {
        error(pos, message, "");
    }

    /**
     * An error inside a loop iteration, described by {@code context} (" (p = 3)"): only the first iteration that
     * goes wrong at a place is reported, since the rest usually go wrong the same way.
     */
    void error(SourcePos pos, String message, String context) {
        if (!reported.add(context.isEmpty() ? List.of(pos, message) : pos)) {
            return;
        }
        message += context;
        if (errors == LIMIT) {
            overflowAt = pos;
            throw new TooMany();
        }
        errors++;
        found.add(Diagnostic.error(pos, message));
    }

    void warning(SourcePos pos, String message) {
        if (found.size() < 2 * LIMIT) {
            found.add(Diagnostic.warning(pos, message));
        }
    }

    void note(SourcePos pos, String message) {
        if (found.size() < 2 * LIMIT) {
            found.add(Diagnostic.note(pos, message));
        }
    }

    /** An error past the limit: the one that explains why the compilation stopped. */
    void fatal(SourcePos pos, String message) {
        errors++;
        found.add(Diagnostic.error(pos, message));
    }

    boolean hasErrors() {
        return errors > 0;
    }

    /** By position; notes stay right after the diagnostic they explain (the sort is stable). */
    List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(found);
        out.sort(Comparator.comparingInt((Diagnostic d) -> d.pos().line()).thenComparingInt(d -> d.pos().column()));
        if (overflowAt != null) {
            out.add(Diagnostic.note(overflowAt, "too many errors; stopped after the first " + LIMIT));
        }
        return out;
    }
}
