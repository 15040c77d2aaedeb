package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla experiment list|run}, in process: listings, a quick run into a directory, and clean errors. */
class ExperimentCommandTest {

    @TempDir
    Path dir;

    @Test
    void listNamesTheShippedExperiments() {
        Run r = flotilla("experiment", "list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("table1-lrpc", "table2-urpc", "amd-8x4", "Scenarios on the class path:");
    }

    @Test
    void runAFileQuickIntoADirectory() throws IOException {
        Path file = dir.resolve("lrpc-8x4.yaml");
        Files.writeString(file, """
                name: lrpc-8x4
                description: LRPC on the 8x4 AMD only
                scenario: table1-lrpc
                machine: amd-8x4
                cores: 1
                parameters: {rounds: 20}
                published:
                  lrpc: [{cores: 1, cycles: 1549, source: "[T:S3]"}]
                """);
        Path out = dir.resolve("out");
        Run r = flotilla("experiment", "run", file.toString(), "--quick", "--out", out.toString(), "--seed", "5");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("lrpc-8x4: 1 points", "report: ");
        assertThat(Files.readString(out.resolve("lrpc-8x4.csv"))).startsWith("series,cores,cycles")
                .contains("lrpc,1,1548,");
        assertThat(out.resolve("lrpc-8x4.png")).exists();
        assertThat(out.resolve("lrpc-8x4.svg")).exists();
        assertThat(Files.readString(out.resolve("report.md"))).contains("- Seed: 5", "--seed 5", "| lrpc | 1 | 1548 |");
    }

    @Test
    void aBadFileIsOneMessageWithItsPlace() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "name: bad\ndescription: d\nscenario: table1-lrpc\nmachine: amd-8x4\ncores: 1\n"
                + "colour: blue\n");
        Run r = flotilla("experiment", "run", file.toString(), "--out", dir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("flotilla experiment run: " + file + ":6:1: field 'colour': unknown field")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void unknownNamesAndScenariosAreClearErrors() throws IOException {
        Run r = flotilla("experiment", "run", "fig99");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("no experiment 'fig99'", "table1-lrpc").doesNotContain("Exception");

        Path file = dir.resolve("fig6.yaml");
        Files.writeString(file, "name: fig6\ndescription: d\nscenario: tlb-shootdwn\nmachine: amd-8x4\ncores: 2..32\n");
        r = flotilla("experiment", "run", file.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(":3:11: field 'scenario': no scenario 'tlb-shootdwn' on the class path");
    }

    @Test
    void aBadPlatformIsACommandLineError() {
        Run r = flotilla("experiment", "run", "table1-lrpc", "--platform", "cloud");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--platform must be sim or pinned");
    }

    @Test
    void aBadIdleStrategyIsACommandLineError() {
        Run r = flotilla("experiment", "run", "table1-lrpc", "--platform", "pinned", "--idle=fast");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--idle'", "no idle strategy named 'fast'")
                .doesNotContain("Exception");
    }

    @Test
    void compareSetsTwoRunsSideBySideAndRefusesWhatIsNotARun() throws IOException {
        Path file = dir.resolve("lrpc-8x4.yaml");
        Files.writeString(file, "name: lrpc-8x4\ndescription: d\nscenario: table1-lrpc\nmachine: amd-8x4\ncores: 1\n"
                + "parameters: {rounds: 20}\n");
        assertThat(flotilla("experiment", "run", file.toString(), "--out", dir.resolve("a").toString()).status())
                .isZero();
        assertThat(flotilla("experiment", "run", file.toString(), "--out", dir.resolve("b").toString(), "--seed",
                "9").status()).isZero();

        Run r = flotilla("experiment", "compare", dir.resolve("a").toString(), dir.resolve("b").toString(), "--out",
                dir.resolve("c").toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("1 experiments, 1 points compared -> " + dir.resolve("c").resolve("report.md"));
        assertThat(Files.readString(dir.resolve("c").resolve("report.md"))).contains("## lrpc-8x4", "| lrpc | 1 |");

        r = flotilla("experiment", "compare", dir.resolve("a").toString(), dir.resolve("none").toString(), "--out",
                dir.resolve("c").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("flotilla experiment compare: " + dir.resolve("none") + ": not a directory (give"
                + " the --out of two experiment runs)" + System.lineSeparator());
    }
}
