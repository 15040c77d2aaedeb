package io.flotilla.cli;

import io.flotilla.platform.pinned.IdleStrategy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --idle}: what a pinned core's loop does on a turn with no work (docs/runtime.md, "Idle strategies"). */
final class IdleOption {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--idle", defaultValue = "auto", paramLabel = "auto|spin|yield|backoff",
            description = "pinned: what a core does when it finds no work: spin (lowest latency, a CPU always busy),"
                    + " yield, backoff (spin, yield, then park; for shared hosts), or auto: spin when the cores are"
                    + " pinned and the host has more CPUs than cores booted, backoff otherwise"
                    + " (default: ${DEFAULT-VALUE}).")
    private String idle;

    /** The strategy asked for; a bad name is a usage error naming the option. */
    IdleStrategy.Kind kind() {
        try {
            return IdleStrategy.Kind.of(idle);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--idle': " + e.getMessage());
        }
    }
}
