package io.flotilla.experiments.runner;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * How to run experiments: {@code --quick}, where the results go, the platform and seed when the command line
 * overrides the file's, whether to draw a progress bar (and where), and the command line to record in the report.
 *
 * @param platform {@code sim}, {@code pinned}, or null for each experiment's own
 * @param seed the base seed, or null for each experiment's own
 * @param progress where the progress bar goes, or null for none
 */
public record RunOptions(boolean quick, Path out, String platform, Long seed, PrintStream progress,
        String command) {

    /** The default output directory. */
    public static final Path DEFAULT_OUT = Path.of("out", "experiments");
}
