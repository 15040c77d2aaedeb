package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiments that survive (issue 16): a failed point with {@code --keep-going} is recorded and every other point
 * kept; without it the run stops, keeping the points that finished; running out of heap is one line of advice and
 * exit status 4, in a JVM of its own with a small heap; shards merged equal one unsharded run, byte for byte.
 */
class ExperimentSurvivalTest {

    @TempDir
    Path dir;

    private Path experiment(String name, String extra) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\ndescription: d\nscenario: test-fragile\nmachine: amd-8x4\n"
                + "cores: [1, 2, 4, 8, 16, 32]\n" + extra);
        return file;
    }

    @Test
    void keepGoingRecordsTheFailedPointAndKeepsEveryOther() throws IOException {
        Path file = experiment("fragile", "parameters: {fail-at: 4}\n");
        Path out = dir.resolve("out");
        Run r = flotilla("experiment", "run", file.toString(), "--keep-going", "--out", out.toString());
        assertThat(r.status()).isEqualTo(ExperimentCommand.EXIT_POINT_FAILED);
        assertThat(r.err()).contains("fragile: steady at 4 cores failed (kept going): the steady series breaks at 4"
                + " cores, as asked", "1 point(s) failed").doesNotContain("Exception", "\tat ");
        List<String> csv = Files.readAllLines(out.resolve("fragile.csv"));
        assertThat(r.out()).contains("fragile: 12 points, 1 failed -> ");
        assertThat(csv.get(0)).isEqualTo("series,cores,cycles,stddev,repetitions,machine,trace_hash,half,failure");
        assertThat(csv).hasSize(1 + 12);
        assertThat(csv.get(3)).isEqualTo("steady,4,,,0,amd-8x4,,,\"the steady series breaks at 4 cores, as asked\"");
        assertThat(csv.get(4)).startsWith("steady,8,").endsWith(",");
        assertThat(csv.get(7)).startsWith("other,1,");
        assertThat(Files.readString(out.resolve("report.md"))).contains("| steady | 4 | failed |", "**Failed.**",
                "- steady at 4 cores: the steady series breaks at 4 cores, as asked", "| steady | 32 | 3");
    }

    @Test
    void withoutKeepGoingTheRunStopsAndKeepsWhatFinished() throws IOException {
        Path file = experiment("fragile", "parameters: {fail-at: 8}\n");
        Path out = dir.resolve("out");
        Run r = flotilla("experiment", "run", file.toString(), "--out", out.toString());
        assertThat(r.status()).isEqualTo(ExperimentCommand.EXIT_POINT_FAILED);
        assertThat(r.err()).contains("series 'steady' on amd-8x4 at 8 cores", "breaks at 8 cores",
                "finished points are in").doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(Files.readAllLines(out.resolve("fragile.csv"))).hasSize(1 + 3);
        assertThat(Files.readString(out.resolve("fragile.run.properties"))).contains("incomplete=experiment"
                + " 'fragile', series 'steady' on amd-8x4 at 8 cores");
        assertThat(Files.readString(out.resolve("report.md"))).contains("**Incomplete:**", "| steady | 4 | 4");
    }

    @Test
    void outOfMemoryIsOneLineOfAdviceAndExitFour() throws Exception {
        Path file = experiment("hog", "parameters: {hog-mib: 100000}\n");
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Flotilla.class.getName(), "experiment", "run", file.toString(), "--out", out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(ExperimentCommand.EXIT_OUT_OF_RESOURCES);
        assertThat(err.lines()).as(err).hasSize(1);
        assertThat(err).contains("experiment 'hog', series 'steady' on amd-8x4 at 1 cores", "out of memory",
                "heap limit", "FLOTILLA_JAVA_OPTS=-Xmx").doesNotContain("\tat ", "Exception in thread");
        assertThat(Files.readString(out.resolve("hog.run.properties"))).contains("incomplete=");
    }

    @Test
    void shardsMergedAreOneUnshardedRunByteForByte() throws IOException {
        Path file = experiment("sharded", "repetitions: 2\nseed: 11\n");
        Path whole = dir.resolve("whole");
        assertThat(flotilla("experiment", "run", file.toString(), "--out", whole.toString()).status()).isZero();
        for (int k = 1; k <= 3; k++) {
            Run r = flotilla("experiment", "run", file.toString(), "--shard", k + "/3", "--out",
                    dir.resolve("shard" + k).toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).contains("sharded: 4 points (shard " + k + "/3)");
        }
        Path merged = dir.resolve("merged");
        Run m = flotilla("experiment", "merge", dir.resolve("shard2").toString(), dir.resolve("shard1").toString(),
                dir.resolve("shard3").toString(), "--out", merged.toString());
        assertThat(m.err()).isEmpty();
        assertThat(m.status()).isZero();
        assertThat(m.out()).contains("sharded: 12 points from 3 shards");
        for (String f : List.of("sharded.csv", "sharded.run.properties", "report.md", "sharded.svg")) {
            assertThat(Files.readString(merged.resolve(f))).as(f).isEqualTo(Files.readString(whole.resolve(f)));
        }
        assertThat(Files.readString(dir.resolve("shard1").resolve("sharded.run.properties"))).contains("shard=1/3");
    }

    @Test
    void aMergeWithAShardMissingOrTwiceIsRefused() throws IOException {
        Path file = experiment("sharded", "");
        for (int k = 1; k <= 2; k++) {
            flotilla("experiment", "run", file.toString(), "--shard", k + "/3", "--out",
                    dir.resolve("shard" + k).toString());
        }
        Run r = flotilla("experiment", "merge", dir.resolve("shard1").toString(), dir.resolve("shard2").toString(),
                "--out", dir.resolve("m").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("'sharded': shard(s) 3/3 missing");
        r = flotilla("experiment", "merge", dir.resolve("shard1").toString(), dir.resolve("shard1").toString(),
                "--out", dir.resolve("m").toString());
        assertThat(r.err()).contains("shard 1/3 is in both");
        Path csv = dir.resolve("shard1").resolve("sharded.csv");
        Files.writeString(csv, Files.readString(csv).replaceFirst("\nsteady,1,", "\nsteady,one,"));
        r = flotilla("experiment", "merge", dir.resolve("shard1").toString(), dir.resolve("shard2").toString(),
                "--out", dir.resolve("m").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(csv + ":2: not a number where one belongs").doesNotContain("\tat ");
        r = flotilla("experiment", "run", file.toString(), "--shard", "4/3");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--shard: shard 4/3 does not exist");
    }
}
