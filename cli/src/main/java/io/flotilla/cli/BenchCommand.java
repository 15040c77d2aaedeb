package io.flotilla.cli;

import io.flotilla.experiments.transport.TransportBench;
import io.flotilla.experiments.transport.TransportBenchResult;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla bench}: micro-benchmarks that run without JMH's harness. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs Flotilla's built-in benchmarks.",
        subcommands = BenchCommand.Transports.class)
final class BenchCommand {

    /** {@code flotilla bench transports [--quick] [--json]}. */
    @Command(name = "transports", mixinStandardHelpOptions = true,
            description = {
                "Round-trip latency and one-way throughput of one-frame messages (8-byte and 56-byte payloads) on"
                        + " two pinned threads, in one run, interleaved: a cache-line ping-pong floor, urpc, Agrona,"
                        + " JCTools, Disruptor and ArrayBlockingQueue; and how the two CPUs share caches.",
                "Compare the ratios within one run; absolute numbers move with the machine's load.",
                "Each contestant runs in a JVM of its own (this one asks them for a phase at a time); exit status 1,"
                        + " with one line naming it, if one fails."
            })
    static final class Transports implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--quick", description = "About 35 seconds instead of about five minutes.")
        private boolean quick;

        @Option(names = "--json", description = "Print only the result as one JSON object (medians).")
        private boolean json;

        @Option(names = "--one-jvm", description = "Run every contestant in this JVM instead of one JVM each. Their"
                + " JIT profiles then mix: contestants that share urpc's code can be compiled for each other.")
        private boolean oneJvm;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            // Progress goes to stderr so that --json output on stdout stays machine-readable.
            PrintStream progress = json
                    ? new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)
                    : new PrintStream(new LineForwarder(err), true, StandardCharsets.UTF_8);
            TransportBenchResult result;
            try {
                result = TransportBench.run(quick, oneJvm, progress);
            } catch (IllegalStateException e) {
                err.println("flotilla bench transports: " + e.getMessage());
                err.flush();
                return 1;
            }
            if (json) {
                out.println(result.toJson());
            } else {
                out.print(result.toTable());
            }
            out.flush();
            return 0;
        }
    }

    /** Forwards UTF-8 bytes to a writer a line at a time, so progress lines appear as they are printed. */
    private static final class LineForwarder extends OutputStream {
        private final PrintWriter target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineForwarder(PrintWriter target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            target.print(line.toString(StandardCharsets.UTF_8));
            target.flush();
            line.reset();
        }
    }
}
