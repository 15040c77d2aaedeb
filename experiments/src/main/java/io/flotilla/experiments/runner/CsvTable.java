package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A results CSV read back (as {@link CsvWriter} wrote it), so that a report over a directory is rebuilt from the
 * files in it rather than from memory.
 */
final class CsvTable {

    private CsvTable() {}

    /**
     * The rows as {@link PointResult}s, in file order. A file that is not such a CSV (a merge may be handed any
     * directory) is an {@link ExperimentFormatException} naming the file and line.
     */
    static List<PointResult> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<PointResult> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        List<String> header = cells(lines.get(0));
        if (!header.containsAll(List.of("series", "cores", "cycles"))) {
            throw new ExperimentFormatException(file + ":1: not an experiment CSV (its header lacks series, cores or"
                    + " cycles)");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                continue;
            }
            try {
                rows.add(row(header, cells(lines.get(i))));
            } catch (NumberFormatException e) {
                throw new ExperimentFormatException(file + ":" + (i + 1) + ": not a number where one belongs ("
                        + e.getMessage() + ")");
            }
        }
        return rows;
    }

    private static PointResult row(List<String> header, List<String> c) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (int k = 0; k < header.size() && k < c.size(); k++) {
            byName.put(header.get(k), c.get(k));
        }
        Map<String, Double> extra = new LinkedHashMap<>();
        for (String h : header) {
            if (!CsvWriter.FIXED.contains(h) && !h.equals(CsvWriter.FAILURE)
                    && !byName.getOrDefault(h, "").isEmpty()) {
                extra.put(h, Double.parseDouble(byName.get(h)));
            }
        }
        String machine = byName.getOrDefault("machine", "");
        String label = byName.getOrDefault("series", "");
        String series = label.startsWith(machine + " ") ? label.substring(machine.length() + 1) : label;
        return new PointResult(label, machine, series, Integer.parseInt(byName.getOrDefault("cores", "")),
                number(byName.get("cycles")), number(byName.getOrDefault("stddev", "0")),
                Integer.parseInt(byName.getOrDefault("repetitions", "1")), byName.getOrDefault("trace_hash", ""),
                extra, byName.getOrDefault(CsvWriter.FAILURE, ""));
    }

    /** A number cell; empty (a failed point's) is NaN. */
    private static double number(String cell) {
        return cell == null || cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }

    /** The cells of one CSV line, quotes as {@link CsvWriter} writes them. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
