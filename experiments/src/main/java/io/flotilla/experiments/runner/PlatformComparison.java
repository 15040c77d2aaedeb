package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A prediction judged against a measurement: two output directories of {@code flotilla experiment run} with the same
 * experiments, typically the host's twin on {@code sim} and the host itself on {@code pinned} (docs/experiments.md,
 * "The host twin"), set side by side point by point in one {@code report.md}, each point with the prediction's
 * error, (predicted - measured) / measured, and whether the prediction lies within the measurement's spread across
 * repetitions. Nothing is dropped: a point, series or experiment that only one side has is listed as such.
 */
public final class PlatformComparison {

    /** The extra column a scenario reports its median in, where its value is a mean. */
    static final String MEDIAN = "median";

    private PlatformComparison() {}

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%+.1f %%", 100 * fraction);
    }

    /** What a comparison wrote: the report, and how many points had both sides. */
    public record Written(Path report, int experiments, int points) {}

    /** One directory's run of one experiment: its record, rows and experiment file's text (empty if missing). */
    private record Side(RunRecord record, List<PointResult> rows, String text) {

        /** The machines its rows ran on, in order. */
        String machines() {
            return String.join(", ", rows.stream().map(PointResult::machine).distinct().toList());
        }
    }

    /**
     * Writes {@code out/report.md} comparing every experiment {@code predicted} and {@code measured} both hold.
     *
     * @throws ExperimentFormatException naming the directory when either is not a run's output, or they share no
     *     experiment
     */
    public static Written write(Path predicted, Path measured, Path out) throws IOException {
        Map<String, Side> p = sides(predicted);
        Map<String, Side> m = sides(measured);
        Set<String> both = new LinkedHashSet<>(p.keySet());
        both.retainAll(m.keySet());
        if (both.isEmpty()) {
            throw new ExperimentFormatException(predicted + " and " + measured + " share no experiment (" + predicted
                    + ": " + String.join(", ", p.keySet()) + "; " + measured + ": " + String.join(", ", m.keySet())
                    + ")");
        }
        StringBuilder md = new StringBuilder("# Prediction against measurement\n\n");
        md.append("Every point of `").append(predicted).append("` (predicted) beside the same point of `")
                .append(measured).append("` (measured). Error = (predicted - measured) / measured; \"within sd\""
                        + " when the prediction lies inside the measured mean ± one standard deviation of its"
                        + " repetitions.\n");
        int points = 0;
        List<String> only = new ArrayList<>();
        for (String name : p.keySet()) {
            if (!m.containsKey(name)) {
                only.add("`" + name + "`: only in " + predicted);
            }
        }
        for (String name : m.keySet()) {
            if (!p.containsKey(name)) {
                only.add("`" + name + "`: only in " + measured);
            }
        }
        List<String> names = new ArrayList<>(both); // sorted: the maps are TreeMaps
        for (String name : names) {
            points += section(md, name, p.get(name), m.get(name));
        }
        if (!only.isEmpty()) {
            md.append("\n## Not compared\n\n");
            for (String s : only) {
                md.append("- ").append(s).append('\n');
            }
        }
        Files.createDirectories(out);
        Path report = out.resolve("report.md");
        Files.writeString(report, md);
        return new Written(report, names.size(), points);
    }

    /** The section of one experiment; returns how many points had both sides. */
    private static int section(StringBuilder md, String name, Side p, Side m) {
        md.append("\n## ").append(name).append("\n\n");
        md.append("- Predicted: ").append(describe(p)).append('\n');
        md.append("- Measured: ").append(describe(m)).append('\n');
        if (!p.text().equals(m.text())) {
            md.append("- **The two runs' experiment files differ** (`").append(name)
                    .append(ExperimentRunner.SPEC_SUFFIX).append("`): the points may not be the same measurement\n");
        }
        for (Side s : List.of(p, m)) {
            if (!s.record().incomplete().isEmpty()) {
                md.append("- **Incomplete** (").append(s.record().platform()).append("): ")
                        .append(s.record().incomplete()).append('\n');
            }
        }
        // A scenario whose value is a mean (table2-urpc's latency) may report its median too; on pinned that is the
        // typical operation, so the prediction is set beside it as well.
        boolean medians = m.rows().stream().anyMatch(r -> r.extra().containsKey(MEDIAN));
        md.append("\n| series | cores | predicted | measured | ± sd | error | within sd |")
                .append(medians ? " measured median | error to median |" : "").append('\n');
        md.append("|---|---:|---:|---:|---:|---:|---|").append(medians ? "---:|---:|" : "").append('\n');
        int compared = 0;
        List<Double> errors = new ArrayList<>();
        String worst = "";
        double worstError = -1;
        for (var key : keys(p.rows(), m.rows())) {
            PointResult a = ReportWriter.find(p.rows(), key.label(), key.cores());
            PointResult b = ReportWriter.find(m.rows(), key.label(), key.cores());
            md.append("| ").append(key.label()).append(" | ").append(key.cores()).append(" | ")
                    .append(cell(a)).append(" | ").append(cell(b)).append(" | ")
                    .append(b == null || b.isFailed() ? "" : ReportWriter.fmt(b.stddev())).append(" | ");
            if (usable(a) && usable(b) && b.cycles() != 0) {
                double error = (a.cycles() - b.cycles()) / b.cycles();
                boolean within = Math.abs(a.cycles() - b.cycles()) <= b.stddev();
                md.append(percent(error)).append(" | ").append(within ? "yes" : "no").append(" |");
                compared++;
                errors.add(Math.abs(error));
                if (Math.abs(error) > worstError) {
                    worstError = Math.abs(error);
                    worst = key.label() + " at " + key.cores() + " cores";
                }
            } else {
                md.append(" | |");
            }
            if (medians) {
                Double median = b == null ? null : b.extra().get(MEDIAN);
                md.append(' ').append(median == null ? "" : ReportWriter.fmt(median)).append(" | ")
                        .append(median == null || median == 0 || !usable(a) ? ""
                                : percent((a.cycles() - median) / median)).append(" |");
            }
            md.append('\n');
        }
        if (!errors.isEmpty()) {
            errors.sort(null);
            double median = errors.size() % 2 == 1 ? errors.get(errors.size() / 2)
                    : (errors.get(errors.size() / 2 - 1) + errors.get(errors.size() / 2)) / 2;
            md.append(String.format(Locale.ROOT, "%nAcross %d points: median |error| %.1f %%, largest %.1f %% (%s).%n",
                    compared, 100 * median, 100 * worstError, worst));
        }
        return compared;
    }

    private record Key(String label, int cores) {}

    /** Every (series, cores) either side has, the predicted side's order first. */
    private static List<Key> keys(List<PointResult> a, List<PointResult> b) {
        Set<Key> out = new LinkedHashSet<>();
        for (PointResult r : a) {
            out.add(new Key(r.label(), r.cores()));
        }
        for (PointResult r : b) {
            out.add(new Key(r.label(), r.cores()));
        }
        return new ArrayList<>(out);
    }

    private static boolean usable(PointResult r) {
        return r != null && !r.isFailed() && Double.isFinite(r.cycles());
    }

    private static String cell(PointResult r) {
        return r == null ? "not run" : r.isFailed() ? "failed" : ReportWriter.fmt(r.cycles());
    }

    private static String describe(Side side) {
        RunRecord r = side.record();
        return r.platform() + (side.machines().isEmpty() ? "" : " on " + side.machines())
                + ReportWriter.pinnedSettings(r) + ", seed " + r.seed() + ", " + r.repetitions()
                + " repetition" + (r.repetitions() == 1 ? "" : "s") + (r.quick() ? " (quick)" : "")
                + (r.command().isEmpty() ? "" : ": `" + r.command() + "`");
    }

    /** Each experiment's record and rows in {@code dir}, by name. */
    private static Map<String, Side> sides(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ExperimentFormatException(dir + ": not a directory (give the --out of two experiment runs)");
        }
        List<Path> records;
        try (Stream<Path> s = Files.list(dir)) {
            records = s.filter(f -> f.getFileName().toString().endsWith(RunRecord.SUFFIX)).sorted().toList();
        }
        if (records.isEmpty()) {
            throw new ExperimentFormatException(dir + ": no *" + RunRecord.SUFFIX + " here; is it the --out of a"
                    + " flotilla experiment run?");
        }
        Map<String, Side> out = new TreeMap<>();
        for (Path f : records) {
            RunRecord r = RunRecord.read(f);
            Path csv = dir.resolve(r.name() + ".csv");
            Path yaml = dir.resolve(r.name() + ExperimentRunner.SPEC_SUFFIX);
            out.put(r.name(), new Side(r, Files.exists(csv) ? CsvTable.read(csv) : List.of(),
                    Files.exists(yaml) ? Files.readString(yaml) : ""));
        }
        return out;
    }
}
