package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code report.md} for a results directory, rebuilt from what is in it: one section per experiment that has a
 * {@code NAME.run.properties}, in name order, so running experiments one at a time into one directory keeps every
 * section. Each section sets each measured point beside its published value with the difference, summarises the
 * shape (cheapest series at the smallest and largest core count, where measured curves cross), lists the points
 * that failed, and quotes the experiment's own notes on known disagreements. Values given in an experiment file are
 * called "published" only when the file says where they were published ({@code source:}); otherwise they are the
 * file's "reference" values.
 */
final class ReportWriter {

    private final ExperimentLoader loader;

    ReportWriter(ExperimentLoader loader) {
        this.loader = loader;
    }

    /** Rewrites {@code dir/report.md}. */
    void write(Path dir) throws IOException {
        List<Path> records;
        try (Stream<Path> s = Files.list(dir)) {
            records = s.filter(p -> p.getFileName().toString().endsWith(RunRecord.SUFFIX)).sorted().toList();
        }
        StringBuilder md = new StringBuilder("# Experiment report\n\n");
        md.append("One section per experiment run into this directory, each measured point beside the value the"
                + " experiment file gives for it. Difference = (measured - given) / given.\n");
        for (Path p : records) {
            RunRecord run = RunRecord.read(p);
            md.append('\n');
            section(md, dir, run);
        }
        Files.writeString(dir.resolve("report.md"), md);
    }

    private void section(StringBuilder md, Path dir, RunRecord run) throws IOException {
        Path yaml = dir.resolve(run.name() + ExperimentRunner.SPEC_SUFFIX);
        Path csv = dir.resolve(run.name() + ".csv");
        ExperimentSpec spec;
        try {
            spec = loader.parse(yaml.getFileName().toString(), Files.readString(yaml));
        } catch (ExperimentFormatException | IOException e) {
            md.append("## ").append(run.name()).append("\n\nCannot report: ").append(e.getMessage()).append('\n');
            return;
        }
        List<PointResult> all = Files.exists(csv) ? CsvTable.read(csv) : List.of();
        List<PointResult> rows = all.stream().filter(r -> !r.isFailed()).toList();
        List<PointResult> failed = all.stream().filter(PointResult::isFailed).toList();
        String given = spec.publishedIn().isEmpty() ? "reference" : "published";
        md.append("## ").append(spec.name()).append(": ").append(spec.title()).append("\n\n");
        md.append(spec.description().strip()).append("\n\n");
        if (!run.incomplete().isEmpty()) {
            md.append("**Incomplete:** the run stopped: ").append(run.incomplete()).append(". The points it finished"
                    + " are below.\n\n");
        }
        if (!spec.published().isEmpty()) {
            md.append(spec.publishedIn().isEmpty()
                    ? "Set beside the reference values the experiment file gives (it names no published source)."
                    : "Set beside the published values of " + spec.publishedIn() + ". Source tags: [T] stated in"
                            + " the text, [F~] read off a figure, [R?] recalled and not verified.").append("\n\n");
        }
        md.append("- Scenario: `").append(spec.scenario()).append("`\n");
        md.append("- Machine: ").append(String.join(", ", spec.machines())).append('\n');
        md.append("- Platform: ").append(run.platform()).append(pinnedSettings(run)).append('\n');
        md.append("- Seed: ").append(run.seed()).append(", repetitions: ").append(run.repetitions())
                .append(run.quick() ? " (quick run)" : "").append('\n');
        md.append("- Command: `").append(run.command()).append("`").append(run.shard().isEmpty() ? ""
                : " (shard " + run.shard() + " of the points; `flotilla experiment merge` joins the shards)")
                .append('\n');
        md.append("- Flotilla: ").append(run.provenance().getOrDefault("flotilla.version", "unknown"))
                .append(", commit ").append(run.provenance().getOrDefault("flotilla.commit", "unknown"))
                .append(" (plugins, JVM and host in `").append(run.name()).append(RunRecord.SUFFIX).append("`)\n");
        md.append("- Files: `").append(run.name()).append(".csv`, `").append(run.name()).append(".png`, `")
                .append(run.name()).append(".svg`\n\n");

        md.append("| series | cores | measured | ± stddev | ").append(given).append(" | difference | source |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (String label : labels(spec, all)) {
            TreeSet<Integer> xs = new TreeSet<>();
            for (PointResult r : all) {
                if (r.label().equals(label)) {
                    xs.add(r.cores());
                }
            }
            for (PublishedPoint pp : spec.published().getOrDefault(label, List.of())) {
                xs.add(pp.cores());
            }
            for (int x : xs) {
                PointResult r = find(all, label, x);
                PublishedPoint pp = published(spec, label, x);
                md.append("| ").append(label).append(" | ").append(x).append(" | ")
                        .append(r == null ? "not run" : r.isFailed() ? "failed" : fmt(r.cycles())).append(" | ")
                        .append(r == null || r.isFailed() ? "" : fmt(r.stddev())).append(" | ")
                        .append(pp == null ? "" : fmt(pp.cycles())).append(" | ")
                        .append(r == null || r.isFailed() || pp == null || pp.cycles() == 0 ? ""
                                : String.format(Locale.ROOT, "%+.1f %%", 100 * (r.cycles() - pp.cycles())
                                        / pp.cycles()))
                        .append(" | ").append(pp == null ? "" : pp.source()).append(" |\n");
            }
        }
        md.append('\n');
        List<String> shape = ShapeSummary.describe(spec, rows);
        if (!shape.isEmpty()) {
            md.append("**Shape.**\n\n");
            for (String s : shape) {
                md.append("- ").append(s).append('\n');
            }
            md.append('\n');
        }
        if (!failed.isEmpty()) {
            md.append("**Failed.** (run with `--keep-going`; the CSV's `failure` column has the same)\n\n");
            for (PointResult r : failed) {
                md.append("- ").append(r.label()).append(" at ").append(r.cores()).append(" cores: ")
                        .append(r.failure()).append('\n');
            }
            md.append('\n');
        }
        if (!run.skipped().isEmpty()) {
            md.append("**Skipped.**\n\n");
            for (String s : run.skipped()) {
                md.append("- ").append(s).append('\n');
            }
            md.append('\n');
        }
        Ablation.appendSection(md, dir, run.name());
        if (!spec.notes().isEmpty()) {
            md.append("**Notes.** ").append(spec.notes().replace("\n", " ").replaceAll(" +", " ").strip())
                    .append("\n");
        }
    }

    /** How a pinned run's cores waited and warmed up, as its record says; empty for sim. */
    static String pinnedSettings(RunRecord run) {
        String idle = run.provenance().get("pinned.idle");
        if (idle == null) {
            return "";
        }
        String used = run.provenance().getOrDefault("pinned.idle_in_use", "");
        String warmups = run.provenance().getOrDefault("pinned.warmup_repetitions", "0");
        String jit = run.provenance().getOrDefault("pinned.jit_warmup", "");
        return " (idle strategy " + idle + (used.isEmpty() || used.equals(idle) ? "" : ", in use: " + used) + "; "
                + (jit.isEmpty() ? "" : "JIT warm-up " + jit + "; ") + warmups + " warm-up repetition"
                + ("1".equals(warmups) ? "" : "s") + " per point, not counted)";
    }

    /** Labels in the order the experiment names them (machine, then series), whether run or only published. */
    private static List<String> labels(ExperimentSpec spec, List<PointResult> rows) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String m : spec.machines()) {
            for (String s : spec.series()) {
                String label = spec.label(m, s);
                boolean measured = rows.stream().anyMatch(r -> r.label().equals(label));
                if (measured || spec.published().containsKey(label)) {
                    out.put(label, true);
                }
            }
        }
        return new ArrayList<>(out.keySet());
    }

    static PointResult find(List<PointResult> rows, String label, int cores) {
        for (PointResult r : rows) {
            if (r.label().equals(label) && r.cores() == cores) {
                return r;
            }
        }
        return null;
    }

    static PublishedPoint published(ExperimentSpec spec, String label, int cores) {
        for (PublishedPoint p : spec.published().getOrDefault(label, List.of())) {
            if (p.cores() == cores) {
                return p;
            }
        }
        return null;
    }

    static String fmt(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
