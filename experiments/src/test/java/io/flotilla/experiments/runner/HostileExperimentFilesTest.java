package io.flotilla.experiments.runner;

import org.assertj.core.api.SoftAssertions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiment files written to exhaust memory or time (issue 17) are refused with a positioned one-line message, in
 * a JVM of their own held to 256 MB of heap and a few seconds: one child JVM loads the whole corpus in turn, so a
 * regression shows as an out-of-memory error, a time-out or an unpositioned message, never as a slow suite.
 */
class HostileExperimentFilesTest {

    private static final String HEAD = """
            name: hostile
            description: d
            scenario: test-star
            machine: amd-4x4
            """;

    @TempDir
    static Path dir;

    private static final List<String[]> CASES = new ArrayList<>();

    /** A file name, its content, and what the message must contain. */
    private static void hostile(String name, String content, String expected) throws IOException {
        Files.writeString(dir.resolve(name), content);
        CASES.add(new String[] {name, expected});
    }

    @BeforeAll
    static void corpus() throws IOException {
        hostile("huge-range.yaml", HEAD + "cores: 1..2000000000 step 1\n",
                "huge-range.yaml:5:8: field 'cores': range 1..2000000000 step 1 goes to 2000000000 cores; at most 65536");
        hostile("many-counts.yaml", HEAD + "cores: 2..16 step 1\nrepetitions: 10000\n"
                + "parameters: {work: 1}\n", "field 'repetitions': 1 machine(s) x 2 series x 15 core counts x 10000"
                + " repetitions = 300000 points; at most 100000");
        hostile("wide-range.yaml", HEAD + "cores: 1..65536\n", "range 1..65536 names 65536 core counts; at most 4096");
        hostile("rounds.yaml", HEAD + "cores: 2\nparameters: {work: 2147483647}\n",
                ":6:20: field 'parameters.work': 2147483647 is out of range -10000000..10000000");
        hostile("inf.yaml", HEAD + "cores: 2\npublished:\n  star: [{cores: 2, cycles: .inf}]\n",
                ":7:29: field 'published.star[0].cycles': must be a finite number, not .inf");
        hostile("nan.yaml", HEAD + "cores: 2\npublished:\n  star: [{cores: 2, cycles: .NaN}]\n",
                "field 'published.star[0].cycles': must be a finite number, not .NaN");
        hostile("two-documents.yaml", HEAD + "cores: 2\n---\n" + HEAD + "cores: 4\n",
                "two-documents.yaml:7:1: a second YAML document starts here");
        hostile("long-string.yaml", "name: hostile\ndescription: \"" + "x".repeat(10_000_000) + "\"\n",
                "long-string.yaml: larger than 1048576 bytes");
        hostile("long-string-under-cap.yaml", "name: hostile\ndescription: \"" + "x".repeat(1_000_000) + "\"\n",
                "long-string-under-cap.yaml:2:14: a value of 1000000 characters; at most 65536");
        hostile("deep.yaml", HEAD + "cores: 2\nparameters: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
                "deep.yaml:6:44: nested more than 32 levels deep");
        hostile("big-core.yaml", HEAD + "cores: [2, 99999999999999999999]\n",
                ":5:12: field 'cores': 99999999999999999999 is out of range");
        CASES.add(new String[] {"/dev/zero", "/dev/zero: not a plain file"});
    }

    @Test
    void everyHostileFileIsRefusedWithItsPlaceWithinBoundedHeapAndTime() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LoadOneExperiment.class.getName()));
        for (String[] c : CASES) {
            command.add(c[0].startsWith("/") ? c[0] : dir.resolve(c[0]).toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(ended).as("the corpus was loaded within 30 s: %s", lines).isTrue();
        soft.assertThat(lines).as("one line per file").hasSize(CASES.size());
        for (int i = 0; i < Math.min(lines.size(), CASES.size()); i++) {
            String[] c = CASES.get(i);
            String[] outcome = lines.get(i).split(" ", 3);
            soft.assertThat(outcome[0]).as("%s: %s", c[0], lines.get(i)).isEqualTo("refused");
            if (outcome.length == 3) {
                soft.assertThat(Long.parseLong(outcome[1])).as("%s took %s ms", c[0], outcome[1]).isLessThan(2000);
                soft.assertThat(outcome[2]).as(c[0]).contains(c[1]).doesNotContain("|", "Exception", "\tat ");
            }
        }
        soft.assertAll();
    }
}
