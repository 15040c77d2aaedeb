package io.flotilla.dsl.iface;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the diagnostics of one compilation: at most {@link #LIMIT} errors and {@link #LIMIT} warnings.
 *
 * <p>A file of garbage would otherwise yield one error per token; once the limit is reached, one more error
 * throws {@link TooMany}, which the entry point catches to stop all work at once (a 10 MB garbage file is then as
 * quick as a small one). Warnings beyond the limit are dropped; they never stop the work.
 */
final class Diagnostics {

    static final int LIMIT = 100;

    /** Thrown to abandon the compilation when the limit is exceeded; carries no stack trace, it is control flow. */
    static final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooMany() {
            super("too many diagnostics", null, false, false);
        }
    }

    private final List<Diagnostic> found = new ArrayList<>();
    private int errors;
    private int warnings;
    private final List<String> fileOrder;
    private SourcePos overflowAt;

    /** @param fileOrder file names in the order their diagnostics are listed (includes first) */
    Diagnostics(List<String> fileOrder) {
        this.fileOrder = List.copyOf(fileOrder);
    }

    void error(SourcePos pos, String message) {
        add(Diagnostic.error(pos, message));
    }

    void warning(SourcePos pos, String message) {
        add(Diagnostic.warning(pos, message));
    }

    void add(Diagnostic d) {
        if (d.isError()) {
            if (errors == LIMIT) {
                overflowAt = d.pos();
                throw new TooMany();
            }
            errors++;
        } else if (warnings++ >= LIMIT) {
            return;
        }
        found.add(d);
    }

    /** Adds an error even past the limit: for the one diagnostic that ends a compilation that went wrong. */
    void fatal(Diagnostic d) {
        errors++;
        found.add(d);
    }

    boolean hasErrors() {
        return errors > 0;
    }

    int errorCount() {
        return errors;
    }

    /** Everything in this and {@code other}, as one collection (limits apply to each part alone). */
    Diagnostics merge(Diagnostics other) {
        var all = new Diagnostics(fileOrder);
        all.found.addAll(found);
        all.found.addAll(other.found);
        all.errors = errors + other.errors;
        all.warnings = warnings + other.warnings;
        all.overflowAt = overflowAt != null ? overflowAt : other.overflowAt;
        return all;
    }

    /** Everything found, in file order (includes first) and then by position; the overflow note comes last. */
    List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(found);
        out.sort(Comparator.comparingInt((Diagnostic d) -> fileRank(d.pos().file()))
                .thenComparingInt(d -> d.pos().line())
                .thenComparingInt(d -> d.pos().column()));
        if (overflowAt != null) {
            out.add(Diagnostic.note(overflowAt, "too many errors; stopped after the first " + LIMIT));
        }
        return out;
    }

    private int fileRank(String file) {
        int i = fileOrder.indexOf(file);
        return i < 0 ? fileOrder.size() : i;
    }
}
