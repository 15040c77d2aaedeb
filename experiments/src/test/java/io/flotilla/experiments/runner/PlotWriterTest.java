package io.flotilla.experiments.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plots readable at 1024 cores (issue 16): logarithmic axes where values span decades, plain tick labels, and a
 * marker and dash pattern per series so that overlapping series stay visible.
 */
class PlotWriterTest {

    @TempDir
    Path dir;

    private final ExperimentLoader loader = new ExperimentLoader(ScenarioCatalog.discover());

    @Test
    void anAxisIsLogarithmicWhereItsValuesSpanTwoDecades() {
        assertThat(PlotWriter.logarithmic("auto", List.of(2.0, 1024.0))).isTrue();
        assertThat(PlotWriter.logarithmic("auto", List.of(2.0, 32.0))).isFalse();
        assertThat(PlotWriter.logarithmic("log", List.of(2.0, 32.0))).isTrue();
        assertThat(PlotWriter.logarithmic("linear", List.of(2.0, 1024.0))).isFalse();
        // A log axis cannot show zero: linear, whatever was asked.
        assertThat(PlotWriter.logarithmic("log", List.of(0.0, 1024.0))).isFalse();
    }

    @Test
    void tickLabelsArePlainNumbers() {
        assertThat(PlotWriter.plain(700_000)).isEqualTo("700,000");
        assertThat(PlotWriter.plain(1e9)).isEqualTo("1,000,000,000");
        assertThat(PlotWriter.plain(0.25)).isEqualTo("0.25");
    }

    @Test
    void aSweepTo1024CoresIsDrawnOnLogAxesWithDistinctSeries() throws IOException {
        ExperimentSpec spec = loader.parse("mesh.yaml", """
                name: mesh
                title: A sweep to 1024 cores
                description: made-up values, two series that coincide at small core counts
                scenario: test-star
                machine: mesh-1024
                cores: [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
                """);
        List<PointResult> rows = new ArrayList<>();
        for (String series : List.of("star", "fixed")) {
            for (int c : spec.cores()) {
                double cycles = series.equals("star") ? 700.0 * c : 700.0 * c + (c > 64 ? 50.0 * c * c : 0);
                rows.add(new PointResult(series, "mesh-1024", series, c, cycles, 0, 1, "", Map.of()));
            }
        }
        Path base = dir.resolve("mesh");
        PlotWriter.write(base, spec, rows);
        String svg = Files.readString(dir.resolve("mesh.svg"));
        assertThat(svg).contains("stroke-dasharray").doesNotContain("E5", "E6");
        assertThat(Files.size(dir.resolve("mesh.png"))).isPositive();
        if (System.getProperty("flotilla.plots") != null) {
            Files.copy(dir.resolve("mesh.png"), Path.of(System.getProperty("flotilla.plots"), "mesh.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
