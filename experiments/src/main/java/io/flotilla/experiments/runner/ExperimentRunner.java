package io.flotilla.experiments.runner;

import io.flotilla.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs an experiment into a directory: sweeps it ({@link Sweep}), writes {@code NAME.csv}, {@code NAME.png},
 * {@code NAME.svg}, a copy of the experiment file ({@code NAME.experiment.yaml}) and how it was run
 * ({@code NAME.run.properties}), then rewrites {@code report.md} over everything in the directory.
 */
public final class ExperimentRunner {

    static final String SPEC_SUFFIX = ".experiment.yaml";

    private final ScenarioCatalog scenarios;
    private final ExperimentLoader loader;

    public ExperimentRunner(ScenarioCatalog scenarios) {
        this.scenarios = scenarios;
        this.loader = new ExperimentLoader(scenarios);
    }

    /** What a run produced. */
    public record Outcome(String name, Path csv, Path png, Path svg, Path report, List<PointResult> rows,
            List<String> skipped) {}

    public Outcome run(ExperimentSpec spec, RunOptions options) throws IOException {
        Scenario scenario = scenarios.find(spec.scenario()).orElseThrow(() -> new ExperimentFormatException(
                spec.source() + ": no scenario '" + spec.scenario() + "' on the class path"));
        String platform = options.platform() == null ? spec.platform() : options.platform();
        long seed = options.seed() == null ? spec.seed() : options.seed();
        boolean quick = options.quick();
        int points = spec.machines().size() * spec.series().size() * spec.cores(quick).size()
                * spec.repetitions(quick);
        ProgressBar progress = new ProgressBar(options.progress(), points);
        Sweep.Result result;
        try {
            result = new Sweep(spec, scenario, platform, seed, quick).run(progress);
        } finally {
            progress.finish();
        }
        Path dir = options.out();
        Files.createDirectories(dir);
        Path csv = dir.resolve(spec.name() + ".csv");
        CsvWriter.write(csv, result.rows());
        Files.writeString(dir.resolve(spec.name() + SPEC_SUFFIX), spec.text());
        new RunRecord(spec.name(), platform, seed, quick, spec.repetitions(quick), options.command(),
                result.skipped()).write(dir);
        PlotWriter.write(dir.resolve(spec.name()), spec, result.rows());
        new ReportWriter(loader).write(dir);
        return new Outcome(spec.name(), csv, dir.resolve(spec.name() + ".png"), dir.resolve(spec.name() + ".svg"),
                dir.resolve("report.md"), result.rows(), result.skipped());
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
