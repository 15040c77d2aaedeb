package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Joins the output directories of {@code --shard K/N} runs into what one unsharded run would have written: the
 * rows interleaved back into sweep order ({@link Shard} deals them round-robin), the CSV, plots and report rewritten
 * from them, and one {@code run.properties}. Refuses, naming the directory, shards that are missing or given twice,
 * that stopped early, or that ran a different experiment file, platform, seed or command.
 */
public final class ShardMerge {

    private final ExperimentLoader loader;

    public ShardMerge(ExperimentLoader loader) {
        this.loader = loader;
    }

    /** One shard's output: where it is, its record, the experiment text, its rows. */
    private record Part(Path dir, RunRecord record, String text, List<PointResult> rows) {}

    /** What a merge wrote: per experiment, the number of rows and of shards joined. */
    public record Merged(String name, int rows, int shards, Path csv) {}

    /** Merges every sharded experiment found in {@code dirs} into {@code out}. */
    public List<Merged> merge(List<Path> dirs, Path out) throws IOException {
        Map<String, List<Part>> byName = new TreeMap<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new ExperimentFormatException(dir + ": not a directory of shard output");
            }
            List<Path> records;
            try (Stream<Path> s = Files.list(dir)) {
                records = s.filter(p -> p.getFileName().toString().endsWith(RunRecord.SUFFIX)).sorted().toList();
            }
            if (records.isEmpty()) {
                throw new ExperimentFormatException(dir + ": no *" + RunRecord.SUFFIX + " here; is it the --out of a"
                        + " flotilla experiment run --shard K/N?");
            }
            for (Path p : records) {
                RunRecord r = RunRecord.read(p);
                if (r.shard().isEmpty()) {
                    throw new ExperimentFormatException(p + ": a whole run, not a shard (no shard= line); only the"
                            + " outputs of --shard K/N runs are merged");
                }
                if (!r.incomplete().isEmpty()) {
                    throw new ExperimentFormatException(p + ": shard " + r.shard() + " of '" + r.name()
                            + "' stopped early (" + r.incomplete() + "); rerun that shard");
                }
                Path yaml = dir.resolve(r.name() + ExperimentRunner.SPEC_SUFFIX);
                Path csv = dir.resolve(r.name() + ".csv");
                if (!Files.isRegularFile(yaml) || !Files.isRegularFile(csv)) {
                    throw new ExperimentFormatException(dir + ": shard " + r.shard() + " of '" + r.name() + "' lacks "
                            + (Files.isRegularFile(yaml) ? csv.getFileName() : yaml.getFileName()));
                }
                String text;
                try (var in = Files.newInputStream(yaml)) {
                    text = ExperimentLoader.boundedText(yaml.toString(), in);
                }
                byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(new Part(dir, r, text, CsvTable.read(csv)));
            }
        }
        Files.createDirectories(out);
        List<Merged> merged = new ArrayList<>();
        for (Map.Entry<String, List<Part>> e : byName.entrySet()) {
            merged.add(mergeOne(e.getKey(), e.getValue(), out));
        }
        new ReportWriter(loader).write(out);
        return merged;
    }

    private Merged mergeOne(String name, List<Part> parts, Path out) throws IOException {
        Part first = parts.get(0);
        int count = Shard.parse(first.record().shard()).count();
        Part[] byIndex = new Part[count];
        for (Part p : parts) {
            Shard s = Shard.parse(p.record().shard());
            if (s.count() != count) {
                throw new ExperimentFormatException("'" + name + "': " + p.dir() + " holds shard " + s + " but "
                        + first.dir() + " holds shard " + first.record().shard() + "; all shards of a merge split"
                        + " the points the same way");
            }
            if (byIndex[s.index() - 1] != null) {
                throw new ExperimentFormatException("'" + name + "': shard " + s + " is in both "
                        + byIndex[s.index() - 1].dir() + " and " + p.dir());
            }
            same(name, first, p);
            byIndex[s.index() - 1] = p;
        }
        List<String> missing = new ArrayList<>();
        int total = 0;
        for (int k = 0; k < count; k++) {
            if (byIndex[k] == null) {
                missing.add((k + 1) + "/" + count);
            } else {
                total += byIndex[k].rows().size();
            }
        }
        if (!missing.isEmpty()) {
            throw new ExperimentFormatException("'" + name + "': shard(s) " + String.join(", ", missing)
                    + " missing; give every shard's directory");
        }
        for (int k = 0; k < count; k++) {
            int expected = (total - k + count - 1) / count;
            if (byIndex[k].rows().size() != expected) {
                throw new ExperimentFormatException(byIndex[k].dir().resolve(name + ".csv") + ": shard " + (k + 1)
                        + "/" + count + " has " + byIndex[k].rows().size() + " rows; a deal of " + total
                        + " points gives it " + expected);
            }
        }
        List<PointResult> rows = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            rows.add(byIndex[i % count].rows().get(i / count));
        }
        RunRecord r = first.record();
        new RunRecord(name, r.platform(), r.seed(), r.quick(), r.repetitions(), r.command(), r.skipped(), "", "",
                provenance(byIndex)).write(out);
        Files.writeString(out.resolve(name + ExperimentRunner.SPEC_SUFFIX), first.text());
        Path csv = out.resolve(name + ".csv");
        CsvWriter.write(csv, rows);
        ExperimentSpec spec = loader.parse(name + ExperimentRunner.SPEC_SUFFIX, first.text());
        PlotWriter.write(out.resolve(name), spec, rows);
        return new Merged(name, rows.size(), count, csv);
    }

    /** Refuses a shard that ran something else than the first: another file, platform, seed or command. */
    private static void same(String name, Part a, Part b) {
        RunRecord x = a.record();
        RunRecord y = b.record();
        String differs = !a.text().equals(b.text()) ? "experiment file"
                : !x.platform().equals(y.platform()) ? "platform"
                : x.seed() != y.seed() ? "seed"
                : x.quick() != y.quick() ? "--quick"
                : x.repetitions() != y.repetitions() ? "repetitions"
                : !x.command().equals(y.command()) ? "command line"
                : !x.skipped().equals(y.skipped()) ? "skipped series" : null;
        if (differs != null) {
            throw new ExperimentFormatException("'" + name + "': the shards in " + a.dir() + " and " + b.dir()
                    + " differ in their " + differs + "; shards of one merge run the same experiment the same way");
        }
    }

    /** Each provenance key once: its value where every shard agrees, else each shard's distinct values in order. */
    private static Map<String, String> provenance(Part[] shards) {
        Map<String, Set<String>> values = new TreeMap<>();
        for (Part p : shards) {
            p.record().provenance().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
        }
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, String.join(" | ", v)));
        return out;
    }
}
