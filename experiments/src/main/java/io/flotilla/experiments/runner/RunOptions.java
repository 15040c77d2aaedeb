package io.flotilla.experiments.runner;

import io.flotilla.platform.pinned.IdleStrategy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run experiments: {@code --quick}, where the results go, the platform and seed when the command line
 * overrides the file's, whether to draw a progress bar (and where), the command line to record in the report,
 * whether a failed point is recorded and stepped over, and which shard of the points to run.
 *
 * @param platform {@code sim}, {@code pinned}, or null for each experiment's own
 * @param seed the base seed, or null for each experiment's own
 * @param progress where the progress bar goes, or null for none
 * @param command the command line as a user would retype it for the whole run (without {@code --shard}), so that
 *     shards merged give the same record as one unsharded run
 * @param keepGoing record a point whose scenario fails (its reason in the CSV and report) and go on
 * @param shard the share of the points to run ({@link Shard#ALL} for all)
 * @param idle what a pinned core does on a turn with no work ({@code --idle}); ignored on {@code sim}
 */
public record RunOptions(boolean quick, Path out, String platform, Long seed, PrintStream progress,
        String command, boolean keepGoing, Shard shard, IdleStrategy.Kind idle) {

    public RunOptions {
        Objects.requireNonNull(idle, "idle");
    }

    /** The default output directory. */
    public static final Path DEFAULT_OUT = Path.of("out", "experiments");

    /** As above, pinned cores left to {@link IdleStrategy.Kind#AUTO}. */
    public RunOptions(boolean quick, Path out, String platform, Long seed, PrintStream progress,
            String command, boolean keepGoing, Shard shard) {
        this(quick, out, platform, seed, progress, command, keepGoing, shard, IdleStrategy.Kind.AUTO);
    }

    /** Every point, stopping at the first that fails. */
    public RunOptions(boolean quick, Path out, String platform, Long seed, PrintStream progress, String command) {
        this(quick, out, platform, seed, progress, command, false, Shard.ALL);
    }
}
