package io.flotilla.experiments.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep of the test-only {@link StarScenario} on the sim platform, end to end: CSV, PNG, SVG and report.md in a
 * temporary directory; the same run twice gives the same CSV; two experiments into one directory keep both
 * report sections.
 */
class ExperimentRunnerTest {

    private static final String STAR = """
            name: star
            title: Star against fixed work
            description: core 0 pings each other core in turn, against a fixed amount of work
            scenario: test-star
            machine: amd-4x4
            cores: 2..8 step 2
            repetitions: 2
            parameters:
              work: 5000
            published:
              star: [{cores: 2, cycles: 2500, source: "[T:test]"}, {cores: 8, cycles: 9000, source: "[F~:test]"}]
            notes: the published points are made up for the test
            """;

    @TempDir
    Path dir;

    private final ScenarioCatalog scenarios = ScenarioCatalog.discover();
    private final ExperimentRunner runner = new ExperimentRunner(scenarios);

    private ExperimentRunner.Outcome run(String yaml, Path out) throws IOException {
        ExperimentSpec spec = runner.loader().parse("star.yaml", yaml);
        return runner.run(spec, new RunOptions(false, out, null, null, null, "test"));
    }

    @Test
    void aSweepWritesCsvPlotsAndReport() throws IOException {
        var outcome = run(STAR, dir);
        List<String> csv = Files.readAllLines(outcome.csv());
        assertThat(csv.get(0)).startsWith("series,cores,cycles,stddev,repetitions,machine,trace_hash")
                .endsWith(",messages");
        assertThat(csv).hasSize(1 + 2 * 4);
        assertThat(csv.get(1)).startsWith("star,2,");
        // The star grows with the cores; the fixed work does not; every sim point has a trace hash.
        List<PointResult> rows = outcome.rows();
        assertThat(rows.get(3).cycles()).isGreaterThan(rows.get(0).cycles() * 2);
        assertThat(rows.get(4).cycles()).isEqualTo(5000);
        assertThat(rows.get(7).cycles()).isEqualTo(5000);
        assertThat(rows).allSatisfy(r -> assertThat(r.traceHash()).matches("[0-9a-f]+"));
        assertThat(rows.get(0).extra()).containsEntry("messages", 1.0);

        byte[] png = Files.readAllBytes(outcome.png());
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        String svg = Files.readString(outcome.svg());
        assertThat(svg).contains("<svg").contains("</svg>");

        String report = Files.readString(outcome.report());
        assertThat(report).contains("## star: Star against fixed work", "- Machine: amd-4x4", "- Seed: 1",
                "| star | 2 |", "[F~:test]", "**Notes.** the published points are made up");
        assertThat(report).containsPattern("at 2 cores the cheapest measured series is star");
        assertThat(report).containsPattern("star and fixed cross between 2 and 4 cores");
    }

    @Test
    void twoRunsGiveTheSameCsv() throws IOException {
        var a = run(STAR, dir.resolve("a"));
        var b = run(STAR, dir.resolve("b"));
        assertThat(Files.readString(b.csv())).isEqualTo(Files.readString(a.csv()));
        assertThat(Files.readString(b.report())).isEqualTo(Files.readString(a.report()));
    }

    @Test
    void anotherSeedGivesOtherTraces() throws IOException {
        var a = run(STAR, dir.resolve("a"));
        var b = runner.run(runner.loader().parse("star.yaml", STAR),
                new RunOptions(false, dir.resolve("b"), null, 99L, null, "test"));
        assertThat(b.rows().get(0).traceHash()).isNotEqualTo(a.rows().get(0).traceHash());
    }

    @Test
    void experimentsRunIntoOneDirectoryKeepTheirSections() throws IOException {
        run(STAR, dir);
        run(STAR.replace("name: star", "name: another").replace("cores: 2..8 step 2", "cores: [2, 3]"), dir);
        String report = Files.readString(dir.resolve("report.md"));
        assertThat(report.indexOf("## another")).isPositive().isLessThan(report.indexOf("## star"));
        assertThat(dir.resolve("another.csv")).exists();
        assertThat(dir.resolve("star.csv")).exists();
    }

    @Test
    void quickUsesTheQuickOverrides() throws IOException {
        ExperimentSpec spec = runner.loader().parse("star.yaml", STAR + "quick: {cores: [2, 3], repetitions: 1}\n");
        var outcome = runner.run(spec, new RunOptions(true, dir, null, null, null, "test"));
        assertThat(outcome.rows()).extracting(PointResult::cores).containsExactly(2, 3, 2, 3);
        assertThat(outcome.rows()).allSatisfy(r -> assertThat(r.repetitions()).isEqualTo(1));
    }

    @Test
    void aFailingPointNamesTheExperimentAndThePoint() {
        ExperimentSpec spec = runner.loader().parse("star.yaml", STAR.replace("work: 5000", "work: lots"));
        assertThatThrownBy(() -> runner.run(spec, new RunOptions(false, dir, null, null, null, "test")))
                .isInstanceOf(ExperimentRunException.class)
                .hasMessageContaining("experiment 'star', series 'star' on amd-4x4 at 2 cores")
                .hasMessageContaining("parameter 'work' must be a whole number");
    }

    @Test
    void theReportSaysPublishedOnlyWhenTheFileNamesASource() throws IOException {
        String withoutSource = Files.readString(run(STAR, dir.resolve("a")).report());
        assertThat(withoutSource).contains("| series | cores | measured | ± stddev | reference |",
                "reference values the experiment file gives (it names no published source)")
                .doesNotContain("published values", "Baumann");
        String withSource = Files.readString(run(STAR + "source: Someone et al., A Paper, 2009\n", dir.resolve("b"))
                .report());
        assertThat(withSource).contains("| series | cores | measured | ± stddev | published |",
                "Set beside the published values of Someone et al., A Paper, 2009.");
    }

    @Test
    void theRecordNamesTheBuildAndTheJvm() throws IOException {
        run(STAR, dir);
        String record = Files.readString(dir.resolve("star.run.properties"));
        assertThat(record).contains("flotilla.version=0.1.0-SNAPSHOT", "flotilla.commit=", "java=", "host=",
                "scenario.jar=").doesNotContain("shard=", "incomplete=");
        assertThat(Files.readString(dir.resolve("report.md"))).contains("- Flotilla: 0.1.0-SNAPSHOT, commit ");
    }

    @Test
    void aPinnedRunRecordsHowItsCoresWaitedAndWarmedUp() throws IOException {
        // Smoke only: two host cores, one point, one measured repetition after the dropped warm-up one.
        ExperimentSpec spec = runner.loader().parse("star.yaml", """
                name: star
                title: Star against fixed work
                description: on two host cores
                scenario: test-star
                machine: host
                cores: 2
                repetitions: 1
                """);
        var outcome = runner.run(spec, new RunOptions(false, dir, "pinned", null, null, "test", false, Shard.ALL,
                io.flotilla.platform.pinned.IdleStrategy.Kind.SPIN));
        assertThat(outcome.rows()).hasSize(2).allSatisfy(r -> assertThat(r.repetitions()).isEqualTo(1));
        String record = Files.readString(dir.resolve("star.run.properties"));
        assertThat(record).contains("platform=pinned", "pinned.idle=spin", "pinned.idle_in_use=spin",
                "pinned.warmup_repetitions=1").containsPattern("pinned.jit_warmup=\\d+ pass(es)?, ");
        assertThat(Files.readString(outcome.report())).contains("- Platform: pinned (idle strategy spin; JIT warm-up ",
                " 1 warm-up repetition per point, not counted)");
    }

    @Test
    void aCsvKeptCurrentPointByPointEndsAsTheWholeFile() throws IOException {
        Path csv = dir.resolve("x.csv");
        var rows = List.of(
                new PointResult("a", "m", "a", 2, 10, 0, 1, "", java.util.Map.of()),
                new PointResult("a", "m", "a", 4, 20.5, 1, 1, "", java.util.Map.of("msgs", 3.0)),
                new PointResult("a", "m", "a", 8, 30, 0, 1, "", java.util.Map.of("msgs", 4.0)),
                PointResult.failed("a", "m", "a", 16, "broke, badly"),
                new PointResult("a", "m", "a", 32, 40, 0, 1, "", java.util.Map.of("msgs", 5.0, "bytes", 6.0)));
        var incremental = new CsvWriter.Incremental(csv);
        for (int i = 0; i < rows.size(); i++) {
            incremental.add(rows.get(i));
            assertThat(Files.readString(csv)).isEqualTo(CsvWriter.text(rows.subList(0, i + 1)));
        }
        assertThat(CsvTable.read(csv)).hasSize(5).element(3).satisfies(r -> assertThat(r.failure())
                .isEqualTo("broke, badly"));
    }
}
