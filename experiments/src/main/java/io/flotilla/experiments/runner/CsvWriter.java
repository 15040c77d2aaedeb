package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    private CsvWriter() {}

    static final String FAILURE = "failure";

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
        TreeSet<String> extras = new TreeSet<>();
        for (PointResult r : rows) {
            extras.addAll(r.extra().keySet());
        }
        extras.removeAll(FIXED);
        extras.remove(FAILURE);
        boolean anyFailed = rows.stream().anyMatch(PointResult::isFailed);
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(FIXED);
        header.addAll(extras);
        if (anyFailed) {
            header.add(FAILURE);
        }
        line(sb, header);
        for (PointResult r : rows) {
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
            line(sb, cells);
        }
        return sb.toString();
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
