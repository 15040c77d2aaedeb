package io.flotilla.experiments.runner;

import io.flotilla.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs an experiment into a directory: writes a copy of the experiment file ({@code NAME.experiment.yaml}), sweeps
 * it ({@link Sweep}) adding each finished point to {@code NAME.csv} at once ({@link CsvWriter.Incremental}), so
 * that what finished survives whatever stops the run, then writes how it was run ({@code NAME.run.properties}), {@code NAME.png} and {@code NAME.svg}, and
 * rewrites {@code report.md} over everything in the directory. A run that stops early still writes its record
 * (saying why) and the report, then rethrows.
 */
public final class ExperimentRunner {

    static final String SPEC_SUFFIX = ".experiment.yaml";

    private final ScenarioCatalog scenarios;
    private final ExperimentLoader loader;

    public ExperimentRunner(ScenarioCatalog scenarios) {
        this.scenarios = scenarios;
        this.loader = new ExperimentLoader(scenarios);
    }

    /** What a run produced; {@code failed} are the rows of points that failed under {@code --keep-going}. */
    public record Outcome(String name, Path csv, Path png, Path svg, Path report, List<PointResult> rows,
            List<String> skipped, List<PointResult> failed) {}

    public Outcome run(ExperimentSpec spec, RunOptions options) throws IOException {
        Scenario scenario = scenarios.find(spec.scenario()).orElseThrow(() -> new ExperimentFormatException(
                spec.source() + ": no scenario '" + spec.scenario() + "' on the class path"));
        String platform = options.platform() == null ? spec.platform() : options.platform();
        long seed = options.seed() == null ? spec.seed() : options.seed();
        boolean quick = options.quick();
        Sweep sweep = new Sweep(spec, scenario, platform, seed, quick, options.keepGoing(), options.shard(),
                options.idle());
        List<String> skipped = new ArrayList<>();
        List<Sweep.Point> points = sweep.mine(sweep.points(skipped));

        Path dir = options.out();
        Files.createDirectories(dir);
        Path csv = dir.resolve(spec.name() + ".csv");
        Files.writeString(dir.resolve(spec.name() + SPEC_SUFFIX), spec.text());
        Files.deleteIfExists(dir.resolve(spec.name() + RunRecord.SUFFIX));
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        Map<String, String> provenance = new java.util.TreeMap<>(Provenance.keys(scenario,
                context == null ? ExperimentRunner.class.getClassLoader() : context));
        if ("pinned".equals(platform)) {
            // How the host's cores waited and warmed up: both change pinned numbers by orders of magnitude.
            provenance.put("pinned.idle", options.idle().toString());
            provenance.put("pinned.warmup_repetitions", Integer.toString(sweep.warmupRepetitions()));
        }
        RunRecord record = new RunRecord(spec.name(), platform, seed, quick, spec.repetitions(quick),
                options.command(), skipped, options.shard().isAll() ? "" : options.shard().toString(), "",
                provenance);

        CsvWriter.Incremental done = new CsvWriter.Incremental(csv);
        ProgressBar progress = new ProgressBar(options.progress(),
                points.size() * (spec.repetitions(quick) + sweep.warmupRepetitions()));
        Sweep.Result result;
        try {
            result = sweep.run(points, skipped, progress, row -> {
                try {
                    done.add(row);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (ExperimentRunException | ExperimentResourceException e) {
            progress.finish();
            finishStopped(dir, spec, record.stoppedBy(e.getMessage()), done.rows());
            throw e;
        } catch (java.io.UncheckedIOException e) {
            progress.finish();
            throw e.getCause();
        }
        progress.finish();
        if (!result.idleInUse().isEmpty()) {
            Map<String, String> used = new java.util.TreeMap<>(record.provenance());
            used.put("pinned.idle_in_use", String.join(" ", result.idleInUse()));
            used.put("pinned.jit_warmup", result.warmup());
            record = new RunRecord(record.name(), record.platform(), record.seed(), record.quick(),
                    record.repetitions(), record.command(), record.skipped(), record.shard(), record.incomplete(),
                    used);
        }
        record.write(dir);
        // Drawn from the CSV as written (three decimals), as a merge of shards draws it, so both plots are the same.
        PlotWriter.write(dir.resolve(spec.name()), spec, CsvTable.read(csv));
        new ReportWriter(loader).write(dir);
        return new Outcome(spec.name(), csv, dir.resolve(spec.name() + ".png"), dir.resolve(spec.name() + ".svg"),
                dir.resolve("report.md"), result.rows(), result.skipped(),
                result.rows().stream().filter(PointResult::isFailed).toList());
    }

    /**
     * The record (with why it stopped), plot and report of a run that stopped early, so that the points it
     * finished are reported too. Best effort: a failure here must not hide the one that stopped the run.
     */
    private void finishStopped(Path dir, ExperimentSpec spec, RunRecord record, List<PointResult> done) {
        try {
            record.write(dir);
            PlotWriter.write(dir.resolve(spec.name()), spec, done);
            new ReportWriter(loader).write(dir);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // The CSV of finished points is already on disk; the caller reports the original failure.
        }
    }

    /**
     * Re-runs {@code spec} on {@code sim} with each of the cost model's mechanisms switched off in turn
     * ({@link Ablation}) into {@code options.out()}, and rewrites {@code report.md}, which then shows the ablation in
     * the experiment's section.
     */
    public Path ablate(ExperimentSpec spec, RunOptions options) throws IOException {
        Scenario scenario = scenarios.find(spec.scenario()).orElseThrow(() -> new ExperimentFormatException(
                spec.source() + ": no scenario '" + spec.scenario() + "' on the class path"));
        long seed = options.seed() == null ? spec.seed() : options.seed();
        Files.createDirectories(options.out());
        Path csv = Ablation.run(spec, scenario, seed, options.out());
        new ReportWriter(loader).write(options.out());
        return csv;
    }

    public ExperimentLoader loader() {
        return loader;
    }
}
