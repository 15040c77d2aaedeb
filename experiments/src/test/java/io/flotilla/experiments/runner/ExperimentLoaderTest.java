package io.flotilla.experiments.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of bad experiment file is refused with {@code file:line:col: field 'x': problem}. */
class ExperimentLoaderTest {

    private final ExperimentLoader loader = new ExperimentLoader(ScenarioCatalog.discover());

    private static final String GOOD = """
            name: star
            title: A star
            description: core 0 pings the others
            scenario: test-star
            machine: amd-4x4
            series: [star, fixed]
            cores: 2..8 step 2
            seed: 7
            repetitions: 2
            parameters:
              work: 1500
            quick:
              cores: [2, 4]
              repetitions: 1
            published:
              star: [{cores: 2, cycles: 1000, source: "[T:S3]"}]
            x-label: cores
            y-label: cycles
            notes: a note
            """;

    private String error(String yaml) {
        try {
            loader.parse("exp.yaml", yaml);
        } catch (ExperimentFormatException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void aGoodFileIsReadWithEveryField() {
        ExperimentSpec s = loader.parse("exp.yaml", GOOD);
        assertThat(s.name()).isEqualTo("star");
        assertThat(s.machines()).containsExactly("amd-4x4");
        assertThat(s.cores()).containsExactly(2, 4, 6, 8);
        assertThat(s.cores(true)).containsExactly(2, 4);
        assertThat(s.repetitions()).isEqualTo(2);
        assertThat(s.repetitions(true)).isEqualTo(1);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.parameters()).containsEntry("work", "1500");
        assertThat(s.published().get("star")).containsExactly(new PublishedPoint(2, 1000, "[T:S3]"));
        assertThat(s.label("amd-4x4", "star")).isEqualTo("star");
        assertThat(s.notes()).isEqualTo("a note");
    }

    @Test
    void defaultsAndRangeForms() {
        ExperimentSpec s = loader.parse("e.yaml", "name: e\ndescription: d\nscenario: test-star\nmachine: amd-2x2\n"
                + "cores: [2, 3]\n");
        assertThat(s.series()).containsExactly("star", "fixed");
        assertThat(s.platform()).isEqualTo("sim");
        assertThat(s.repetitions()).isEqualTo(1);
        assertThat(CoreRange.parse("2..5", 1024, 100)).containsExactly(2, 3, 4, 5);
        assertThat(CoreRange.parse("2..32 step 10", 1024, 100)).containsExactly(2, 12, 22, 32);
        assertThat(CoreRange.parse("2..all", 1024, 100, 5)).containsExactly(2, 3, 4, 5);
        assertThat(CoreRange.parse("2..all step 4", 1024, 100, 16)).containsExactly(2, 6, 10, 14);
        assertThatThrownBy(() -> CoreRange.parse("2..all", 1024, 100)).hasMessageContaining("needs a machine");
        // A..all runs to the machine's core count: every core of whatever host a twin was written on.
        assertThat(loader.parse("e.yaml", "name: e\ndescription: d\nscenario: test-star\nmachine: amd-2x2\n"
                + "cores: 2..all\n").cores(false)).containsExactly(2, 3, 4);
    }

    @Test
    void unknownField() {
        assertThat(error(GOOD.replace("seed: 7", "sead: 7"))).startsWith("exp.yaml:8:1: field 'sead': unknown field");
    }

    @Test
    void unknownNestedField() {
        assertThat(error(GOOD.replace("  repetitions: 1", "  reps: 1")))
                .startsWith("exp.yaml:14:3: field 'quick.reps': unknown field");
    }

    @Test
    void wrongType() {
        assertThat(error(GOOD.replace("repetitions: 2", "repetitions: many")))
                .isEqualTo("exp.yaml:9:14: field 'repetitions': expected a whole number, not text 'many'");
        assertThat(error(GOOD.replace("cycles: 1000", "cycles: [1]")))
                .startsWith("exp.yaml:16:29: field 'published.star[0].cycles': expected a number");
    }

    @Test
    void unknownScenario() {
        assertThat(error(GOOD.replace("scenario: test-star", "scenario: fig99")))
                .startsWith("exp.yaml:4:11: field 'scenario': no scenario 'fig99' on the class path (known: ")
                .contains("test-star", "table1-lrpc");
    }

    @Test
    void unknownSeries() {
        assertThat(error(GOOD.replace("series: [star, fixed]", "series: [star, ring]")))
                .isEqualTo("exp.yaml:6:16: field 'series': scenario 'test-star' has no series 'ring' (it has: star,"
                        + " fixed)");
    }

    @Test
    void unknownMachine() {
        assertThat(error(GOOD.replace("machine: amd-4x4", "machine: amd-9x9")))
                .startsWith("exp.yaml:5:10: field 'machine': unknown machine 'amd-9x9' (shipped: ");
        assertThat(error(GOOD.replace("machine: amd-4x4", "machine: [amd-4x4, cray-1]")))
                .startsWith("exp.yaml:5:20: field 'machine': unknown machine 'cray-1'");
    }

    @Test
    void badCoreRanges() {
        assertThat(error(GOOD.replace("cores: 2..8 step 2", "cores: 8..2")))
                .isEqualTo("exp.yaml:7:8: field 'cores': range 8..2 runs backwards (8 > 2)");
        assertThat(error(GOOD.replace("cores: 2..8 step 2", "cores: two to eight")))
                .startsWith("exp.yaml:7:8: field 'cores': 'two to eight' is not a core range");
        assertThat(error(GOOD.replace("cores: 2..8 step 2", "cores: 2..64")))
                .isEqualTo("exp.yaml:7:8: field 'cores': 64 cores asked of amd-4x4, which has 16");
        assertThat(error(GOOD.replace("cores: 2..8 step 2", "cores: 1..4")))
                .isEqualTo("exp.yaml:7:8: field 'cores': scenario 'test-star' needs at least 2 cores, not 1");
        assertThat(error(GOOD.replace("  cores: [2, 4]", "  cores: [4, 2]")))
                .startsWith("exp.yaml:13:10: field 'quick.cores': core counts must ascend");
    }

    @Test
    void undeclaredParameter() {
        assertThat(error(GOOD.replace("  work: 1500", "  rounds: 5")))
                .isEqualTo("exp.yaml:11:3: field 'parameters.rounds': scenario 'test-star' declares no parameter"
                        + " 'rounds' (it takes: work)");
    }

    @Test
    void publishedForASeriesNotMeasured() {
        assertThat(error(GOOD.replace("  star: [{", "  ring: [{")))
                .startsWith("exp.yaml:16:3: field 'published.ring': the experiment measures no series 'ring'");
    }

    @Test
    void shapeGroupsNameMeasuredSeries() {
        ExperimentSpec s = loader.parse("exp.yaml", GOOD + "groups: {one: [star], other: [fixed]}\n");
        assertThat(s.shapeGroups()).containsOnlyKeys("one", "other");
        assertThat(loader.parse("exp.yaml", GOOD).shapeGroups()).containsEntry("all", List.of("star", "fixed"));
        assertThat(error(GOOD + "groups: {one: [star, ring]}\n"))
                .isEqualTo("exp.yaml:20:22: field 'groups.one': the experiment measures no series 'ring' (it"
                        + " measures: star, fixed)");
    }

    @Test
    void missingFieldsDuplicatesAndBadYaml() {
        assertThat(error(GOOD.replace("scenario: test-star\n", "")))
                .isEqualTo("exp.yaml:1:1: field 'scenario': missing (it is required)");
        assertThat(error(GOOD + "seed: 8\n")).isEqualTo("exp.yaml:20:1: field 'seed': given twice (first on line 8)");
        assertThat(error(GOOD.replace("series: [star, fixed]", "series: [star, fixed")))
                .startsWith("exp.yaml:").contains("not valid YAML");
        assertThat(error(GOOD.replace("platform", "x").replace("seed: 7", "seed: 7\nplatform: cloud")))
                .isEqualTo("exp.yaml:9:11: field 'platform': 'cloud' is not a platform: sim or pinned");
        assertThat(error("- a\n- b\n")).startsWith("exp.yaml:1:1: an experiment file is a mapping");
    }

    @Test
    void everyIndexOnTheClassPathIsReadAndUnlistedResourcesResolve() {
        var catalog = new ExperimentCatalog(getClass().getClassLoader(), loader);
        // The test resources carry a second index, as a plugin jar would.
        assertThat(catalog.names()).contains("table1-lrpc", "table2-urpc", "test-listed").doesNotHaveDuplicates();
        assertThat(catalog.names()).doesNotContain("test-unlisted");
        assertThat(catalog.resolve("test-unlisted").scenario()).isEqualTo("test-star");
    }

    @Test
    void shippedExperimentsAreValid() {
        var catalog = new ExperimentCatalog(getClass().getClassLoader(), loader);
        assertThat(catalog.names()).contains("table1-lrpc", "table2-urpc");
        List<ExperimentSpec> all = catalog.all();
        assertThat(all).extracting(ExperimentSpec::name).containsExactlyElementsOf(catalog.names());
        assertThatThrownBy(() -> catalog.resolve("fig42")).isInstanceOf(ExperimentFormatException.class)
                .hasMessageContaining("no experiment 'fig42'");
    }

    @Test
    void sourceAndAxisScales() {
        ExperimentSpec plain = loader.parse("exp.yaml", GOOD);
        assertThat(plain.publishedIn()).isEmpty();
        assertThat(plain.xAxis()).isEqualTo("auto");
        ExperimentSpec s = loader.parse("exp.yaml", GOOD + "source: >\n  Someone et al.,\n  A Paper, 2009\n"
                + "x-axis: log\ny-axis: linear\n");
        assertThat(s.publishedIn()).isEqualTo("Someone et al., A Paper, 2009");
        assertThat(s.xAxis()).isEqualTo("log");
        assertThat(s.yAxis()).isEqualTo("linear");
        assertThat(error(GOOD + "y-axis: logarithmic\n")).isEqualTo("exp.yaml:20:9: field 'y-axis': 'logarithmic' is"
                + " not an axis scale: auto, linear or log");
    }

    @Test
    void theShippedPaperExperimentsNameTheirSource() {
        var catalog = new ExperimentCatalog(getClass().getClassLoader(), loader);
        for (String name : List.of("table1-lrpc", "table2-urpc")) {
            assertThat(catalog.resolve(name).publishedIn()).as(name).startsWith("Baumann et al.").contains("SOSP 2009");
        }
    }
}
