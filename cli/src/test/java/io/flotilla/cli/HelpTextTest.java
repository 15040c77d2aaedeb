package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Help text stays whole: picocli wraps each description element as a paragraph, so an element that stops in the
 * middle of a sentence ("... it runs" / "cores A-B ...") prints as a line cut off mid-sentence.
 */
class HelpTextTest {

    private static void collect(CommandLine cli, List<CommandLine> all) {
        all.add(cli);
        cli.getSubcommands().values().forEach(sub -> collect(sub, all));
    }

    @Test
    void everyDescriptionParagraphEndsASentenceOrIsAnExample() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new Flotilla()), all);
        assertThat(all).hasSizeGreaterThan(10);
        for (CommandLine cli : all) {
            for (String element : cli.getCommandSpec().usageMessage().description()) {
                String paragraph = element.replaceAll("%n$", ""); // picocli's own help command ends one so
                boolean example = paragraph.startsWith("  ") || paragraph.startsWith("Example: ");
                assertThat(example || paragraph.matches("(?s).*[.:)]$"))
                        .as("'%s' in the help of %s", paragraph, cli.getCommandSpec().qualifiedName())
                        .isTrue();
            }
        }
    }

    @Test
    void nodeHelpShowsTheWholeExampleWithin80Columns() {
        Run r = flotilla("node", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("  flotilla node --id 1 --peers 127.0.0.1:7000,127.0.0.1:7001 \\"
                + System.lineSeparator() + "      --cores 2-3 --secret-file s ping-pong");
        assertThat(r.out().lines()).allMatch(line -> line.length() <= 80);
    }
}
