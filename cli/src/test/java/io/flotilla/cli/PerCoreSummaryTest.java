package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla run}'s per-core line stays one readable line beyond a few dozen cores (issue 16: 20 kB at 1024),
 * and {@code --per-core FILE} keeps every core's counts, which add up to the totals printed.
 */
class PerCoreSummaryTest {

    @TempDir
    Path dir;

    @Test
    void beyondThirtyTwoCoresTheLineIsASpreadAndTheCsvHasEveryCore() throws IOException {
        Path csv = dir.resolve("cores.csv");
        Run r = flotilla("run", "--topology", "mesh-64", "--writes", "5", "--per-core", csv.toString(),
                "replicated-kv");
        assertThat(r.status()).as(r.err()).isZero();
        String line = r.out().lines().filter(l -> l.startsWith("  per core")).findFirst().orElseThrow();
        assertThat(line).startsWith("  per core, 64 cores (min/median/max): sent ").contains("; busiest");
        assertThat(line.length()).isLessThan(200);

        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo("core,messages_sent,messages_received,frames_sent,frames_received");
        assertThat(rows).hasSize(1 + 64);
        long sent = rows.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
        Matcher m = Pattern.compile("metrics: (\\d+) messages sent").matcher(r.out());
        assertThat(m.find()).isTrue();
        assertThat(sent).isEqualTo(Long.parseLong(m.group(1))).isPositive();
        assertThat(r.out()).contains("per-core counts: 64 cores in " + csv);
    }

    @Test
    void upToThirtyTwoCoresEveryCoreIsListed() {
        Run r = flotilla("run", "--topology", "amd-8x4", "--cores", "8", "--writes", "5", "replicated-kv");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("  per core \\(sent/received\\): 0: \\d+/\\d+ 1: \\d+/\\d+");
    }
}
