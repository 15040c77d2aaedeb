package io.flotilla.experiments.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs of the test-only {@link StarScenario} set side by side: the "prediction" computes 5000 cycles of fixed
 * work, the "measurement" 4000, so the fixed series is off by exactly +25 % and the star (which does no work) by
 * nothing.
 */
class PlatformComparisonTest {

    private static final String STAR = """
            name: star
            title: Star against fixed work
            description: core 0 pings each other core in turn, against a fixed amount of work
            scenario: test-star
            machine: amd-4x4
            cores: [2, 4]
            repetitions: 2
            parameters:
              work: 5000
            """;

    @TempDir
    Path dir;

    private final ExperimentRunner runner = new ExperimentRunner(ScenarioCatalog.discover());

    private void run(String yaml, Path out) throws IOException {
        runner.run(runner.loader().parse("x.yaml", yaml), new RunOptions(false, out, null, null, null, "test"));
    }

    @Test
    void everyPointIsSetBesideItsMeasurementWithTheError() throws IOException {
        run(STAR, dir.resolve("predicted"));
        run(STAR.replace("work: 5000", "work: 4000"), dir.resolve("measured"));
        run(STAR.replace("name: star", "name: only-predicted"), dir.resolve("predicted"));

        var written = PlatformComparison.write(dir.resolve("predicted"), dir.resolve("measured"), dir.resolve("c"));

        assertThat(written.experiments()).isEqualTo(1);
        assertThat(written.points()).isEqualTo(4);
        String report = Files.readString(written.report());
        assertThat(report).contains("## star", "- Predicted: sim on amd-4x4, seed 1, 2 repetitions: `test`",
                "**The two runs' experiment files differ** (`star.experiment.yaml`)",
                "| series | cores | predicted | measured | ± sd | error | within sd |",
                "| fixed | 2 | 5000 | 4000 | 0.00 | +25.0 % | no |",
                "| fixed | 4 | 5000 | 4000 | 0.00 | +25.0 % | no |",
                "largest 25.0 % (fixed at 2 cores)",
                "## Not compared", "`only-predicted`: only in " + dir.resolve("predicted"));
        assertThat(report).containsPattern("\\| star \\| 2 \\| (\\d+) \\| \\1 \\| [0-9.]+ \\| \\+0\\.0 % \\| yes \\|");
        assertThat(report).doesNotContain("measured median");
    }

    @Test
    void aMeasuredMedianIsComparedToo() throws IOException {
        Path p = dir.resolve("p");
        Path m = dir.resolve("m");
        run(STAR, p);
        run(STAR, m);
        // Rewrite the measurement's CSV as a scenario reporting a median beside its mean would have written it.
        Path csv = m.resolve("star.csv");
        var rows = CsvTable.read(csv).stream().map(r -> new PointResult(r.label(), r.machine(), r.series(), r.cores(),
                r.cycles() * 2, r.stddev(), r.repetitions(), r.traceHash(), Map.of("median", r.cycles()))).toList();
        Files.writeString(csv, CsvWriter.text(rows));

        String report = Files.readString(PlatformComparison.write(p, m, dir.resolve("c")).report());

        assertThat(report).doesNotContain("files differ");
        assertThat(report).contains("| measured median | error to median |", "| fixed | 2 | 5000 | 10000 | 0.00 |"
                + " -50.0 % | no | 5000 | +0.0 % |");
    }

    @Test
    void directoriesThatAreNotRunsOrShareNothingAreRefusedNamingThem() throws IOException {
        run(STAR, dir.resolve("a"));
        run(STAR.replace("name: star", "name: other"), dir.resolve("b"));
        Files.createDirectories(dir.resolve("empty"));

        assertThatThrownBy(() -> PlatformComparison.write(dir.resolve("a"), dir.resolve("b"), dir.resolve("c")))
                .isInstanceOf(ExperimentFormatException.class).hasMessageContaining("share no experiment")
                .hasMessageContaining(dir.resolve("a") + ": star");
        assertThatThrownBy(() -> PlatformComparison.write(dir.resolve("a"), dir.resolve("empty"), dir.resolve("c")))
                .isInstanceOf(ExperimentFormatException.class)
                .hasMessageStartingWith(dir.resolve("empty") + ": no *.run.properties here");
        assertThatThrownBy(() -> PlatformComparison.write(dir.resolve("nope"), dir.resolve("a"), dir.resolve("c")))
                .isInstanceOf(ExperimentFormatException.class)
                .hasMessageStartingWith(dir.resolve("nope") + ": not a directory");
        assertThat(dir.resolve("c")).doesNotExist();
    }
}
