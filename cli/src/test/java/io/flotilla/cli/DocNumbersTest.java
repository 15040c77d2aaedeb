package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers the docs quote from deterministic simulator runs, checked against what the commands print now: when the
 * cost model changes, this fails and names the page to update, instead of the page going stale.
 */
class DocNumbersTest {

    @TempDir
    Path dir;

    private static String doc(String name) throws IOException {
        return Files.readString(Path.of("..", "docs", name)).replace("\r\n", "\n");
    }

    /** The text of the code block that follows {@code marker} up to its closing fence. */
    private static String blockAfter(String text, String marker) {
        int start = text.indexOf(marker);
        assertThat(start).as("'" + marker.strip() + "' in the page").isNotNegative();
        int from = start + marker.length();
        return text.substring(from, text.indexOf("```", from));
    }

    private static String normalized(Run r) {
        assertThat(r.status()).as(r.err()).isZero();
        return r.out().replace(System.lineSeparator(), "\n");
    }

    @Test
    void runtimeMdShowsWhatPingPongPrints() throws IOException {
        assertThat(blockAfter(doc("runtime.md"), "$ ./flotilla run ping-pong\n"))
                .as("docs/runtime.md, 'Running an example'")
                .isEqualTo(normalized(flotilla("run", "ping-pong")));
    }

    @Test
    void runtimeMdShowsWhatATracedPingPongPrints() throws IOException {
        Path trace = dir.resolve("pp.json");
        String out = normalized(flotilla("run", "--trace", trace.toString(), "ping-pong")).replace(trace.toString(),
                "pp.json");
        String shown = blockAfter(doc("runtime.md"), "$ ./flotilla run --trace pp.json ping-pong\n...\n");

        assertThat(out).as("docs/runtime.md, 'Metrics'").endsWith(shown);
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/" + regex + "/ in the text").isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void runtimeMdGivesTheAbortsLatenciesAndMessagesOfReplicatedKv() throws IOException {
        String page = doc("runtime.md").replaceAll("\\s+", " ");
        String twoPhase = normalized(flotilla("run", "replicated-kv"));
        String sequencer = normalized(flotilla("run", "--protocol", "sequencer", "replicated-kv"));

        assertThat(number(page, "seed 1\\) (\\d+) attempts were refused"))
                .isEqualTo(number(twoPhase, "(\\d+) puts aborted on a locked key"));
        assertThat(number(page, "queueing and back-off included\\) was ([\\d,]+) cycles"))
                .isEqualTo(number(twoPhase, "mean commit latency (\\d+) cycles"));
        assertThat(number(page, "against ([\\d,]+) through the sequencer"))
                .isEqualTo(number(sequencer, "mean commit latency (\\d+) cycles"));
        assertThat(number(page, "with ([\\d,]+) messages against"))
                .isEqualTo(number(twoPhase, "metrics: (\\d+) messages sent"));
        assertThat(number(page, "messages against ([\\d,]+) \\(a two-phase put"))
                .isEqualTo(number(sequencer, "metrics: (\\d+) messages sent"));
    }
}
