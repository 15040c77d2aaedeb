package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input of {@link HostileInputs}, run through the CLI in a separate JVM with a 256 MiB heap and a time
 * limit: each ends within its bound with the expected exit status and one positioned error line, never a stack
 * trace, an internal error or an {@code OutOfMemoryError}.
 */
class HostileInputCorpusTest {

    /** Per input: generous for a 2-core CI machine; each takes milliseconds to a few hundred here. */
    private static final long MAX_MILLIS_PER_INPUT = 5_000;

    @TempDir
    Path dir;

    @Test
    void everyHostileInputEndsQuicklyInABoundedHeapWithOnePositionedError() throws Exception {
        List<HostileInputs.Case> cases = HostileInputs.corpus(Files.createDirectories(dir.resolve("expected")));
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), HostileInputs.class.getName(),
                Files.createDirectories(dir.resolve("inputs")).toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("the corpus JVM hung; its output:\n%s", tail(output)).isTrue();
        assertThat(child.exitValue()).as(tail(output)).isZero();

        Map<String, String[]> results = parse(output);
        var soft = new SoftAssertions();
        for (HostileInputs.Case c : cases) {
            String[] r = results.get(c.name());
            soft.assertThat(r).as("no result for %s:\n%s", c.name(), tail(output)).isNotNull();
            if (r == null) {
                continue;
            }
            int status = Integer.parseInt(r[0]);
            long millis = Long.parseLong(r[1]);
            System.out.printf("hostile input %-28s exit %d in %5d ms%n", c.name(), status, millis);
            // The child's inputs live in its own directory: compare errors with the paths made relative.
            String err = r[2].replace(dir.resolve("inputs").toString(), dir.resolve("expected").toString());
            soft.assertThat(status).as("%s exit status; stderr:\n%s", c.name(), err).isEqualTo(c.status());
            soft.assertThat(millis).as("%s took %d ms", c.name(), millis).isLessThan(MAX_MILLIS_PER_INPUT);
            soft.assertThat(err).as(c.name()).doesNotContain("Exception").doesNotContain("\tat ")
                    .doesNotContain("internal error").doesNotContain("OutOfMemoryError");
            if (c.status() != 0) {
                String first = err.lines().findFirst().orElse("");
                soft.assertThat(first).as(c.name()).startsWith(c.headline());
                soft.assertThat(err.lines().filter(l -> l.contains("error:") || l.startsWith("flotilla:")).count())
                        .as("%s: one error line in\n%s", c.name(), err).isEqualTo(1);
            }
        }
        soft.assertAll();
    }

    /** Case name -> {status, millis, stderr}. */
    private static Map<String, String[]> parse(String output) {
        Map<String, String[]> results = new HashMap<>();
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("@@case ")) {
                String[] head = lines.get(i).split(" ");
                List<String> err = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).equals("@@end"); i++) {
                    err.add(lines.get(i));
                }
                results.put(head[1], new String[] {head[2], head[3], String.join("\n", err)});
            }
        }
        return results;
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : "..." + output.substring(output.length() - 4000);
    }
}
