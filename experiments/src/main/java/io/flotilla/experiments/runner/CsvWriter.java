package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * An experiment's results in long format, one row per series and core count:
 * {@code series,cores,cycles,stddev,repetitions,machine,trace_hash}, then the scenario's own columns sorted by name
 * (empty where a row lacks one), and, only when some point failed ({@code --keep-going}), a last column
 * {@code failure} with the reason (its numbers empty). Numbers are written with a dot and at most three decimals, so
 * the same results give the same file, byte for byte.
 */
final class CsvWriter {

    static final List<String> FIXED = List.of("series", "cores", "cycles", "stddev", "repetitions", "machine",
            "trace_hash");

    static final String FAILURE = "failure";

    private CsvWriter() {}

    /**
     * Writes {@code rows} to {@code file} whole, through a temporary file moved into place, so that a reader (or a
     * run killed between two points) never sees half a file.
     */
    static void write(Path file, List<PointResult> rows) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text(rows));
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String text(List<PointResult> rows) {
        Columns columns = new Columns();
        rows.forEach(columns::admit);
        StringBuilder sb = new StringBuilder();
        line(sb, columns.header());
        for (PointResult r : rows) {
            line(sb, columns.cells(r));
        }
        return sb.toString();
    }

    /** The columns a set of rows needs: the fixed ones, the scenario's own, and {@code failure} if one failed. */
    private static final class Columns {
        private final TreeSet<String> extras = new TreeSet<>();
        private boolean anyFailed;

        /** Takes {@code r}'s columns in; true when that changed the header. */
        boolean admit(PointResult r) {
            boolean changed = false;
            for (String k : r.extra().keySet()) {
                if (!FIXED.contains(k) && !FAILURE.equals(k)) {
                    changed |= extras.add(k);
                }
            }
            if (r.isFailed() && !anyFailed) {
                anyFailed = true;
                changed = true;
            }
            return changed;
        }

        List<String> header() {
            List<String> header = new ArrayList<>(FIXED);
            header.addAll(extras);
            if (anyFailed) {
                header.add(FAILURE);
            }
            return header;
        }

        List<String> cells(PointResult r) {
            List<String> cells = new ArrayList<>();
            cells.add(r.label());
            cells.add(Integer.toString(r.cores()));
            cells.add(number(r.cycles()));
            cells.add(number(r.stddev()));
            cells.add(Integer.toString(r.repetitions()));
            cells.add(r.machine());
            cells.add(r.traceHash());
            for (String e : extras) {
                Double v = r.extra().get(e);
                cells.add(v == null ? "" : number(v));
            }
            if (anyFailed) {
                cells.add(r.failure().replace('\n', ' '));
            }
            return cells;
        }
    }

    /**
     * A results CSV kept current while a sweep runs, so that every finished point is on disk before the next one
     * starts. A row that leaves the header as it was is appended (one small write); a row that changes it (a column
     * no earlier row had, the first failed point) rewrites the file whole, through {@link #write}. Either way the
     * cost of a point is that of its own row, not of every row so far, and the file ends as {@link #text} of all rows.
     */
    static final class Incremental {
        private final Path file;
        private final List<PointResult> rows = new ArrayList<>();
        private final Columns columns = new Columns();

        Incremental(Path file) throws IOException {
            this.file = file;
            write(file, rows);
        }

        void add(PointResult row) throws IOException {
            rows.add(row);
            if (columns.admit(row)) {
                write(file, rows);
            } else {
                StringBuilder sb = new StringBuilder();
                line(sb, columns.cells(row));
                Files.writeString(file, sb, StandardOpenOption.APPEND);
            }
        }

        /** The rows so far, in the order they finished. */
        List<PointResult> rows() {
            return List.copyOf(rows);
        }
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        sb.append('\n');
    }
}
