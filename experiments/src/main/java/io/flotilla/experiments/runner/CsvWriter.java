package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * An experiment's results in long format, one row per series and core count:
 * {@code series,cores,cycles,stddev,repetitions,machine,trace_hash}, then the scenario's own columns sorted by name
 * (empty where a row lacks one). Numbers are written with a dot and at most three decimals, so the same results give
 * the same file, byte for byte.
 */
final class CsvWriter {

    static final List<String> FIXED = List.of("series", "cores", "cycles", "stddev", "repetitions", "machine",
            "trace_hash");

    private CsvWriter() {}

    static void write(Path file, List<PointResult> rows) throws IOException {
        TreeSet<String> extras = new TreeSet<>();
        for (PointResult r : rows) {
            extras.addAll(r.extra().keySet());
        }
        extras.removeAll(FIXED);
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(FIXED);
        header.addAll(extras);
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
            line(sb, cells);
        }
        Files.writeString(file, sb);
    }

    static String number(double v) {
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
