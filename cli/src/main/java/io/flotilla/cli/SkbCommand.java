package io.flotilla.cli;

import io.flotilla.experiments.calibration.CrossCoreRoundTrip;
import io.flotilla.experiments.calibration.RuntimeMessageCpu;
import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.skb.MessageCpuProbe;
import io.flotilla.skb.PipelineProbe;
import io.flotilla.skb.RttProbe;
import io.flotilla.skb.Skb;
import io.flotilla.skb.SkbQueryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla skb}: ask the System Knowledge Base of a machine, once or interactively. */
@Command(
        name = "skb",
        mixinStandardHelpOptions = true,
        description = "The System Knowledge Base (Prolog facts and rules about a machine); see docs/skb.md.",
        subcommands = {SkbCommand.Query.class, SkbCommand.Repl.class, SkbCommand.Measure.class})
final class SkbCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The machine option both subcommands share (a picocli mixin). */
    static final class MachineOption {
        @Option(names = {"-t", "--topology"}, paramLabel = "NAME|FILE", defaultValue = "host",
                description = "The machine: a name from 'flotilla topology list' or a .topo file "
                        + "(default: ${DEFAULT-VALUE}).")
        String topology;

        /** The SKB of the machine, or null after printing why it cannot be loaded. */
        Skb open(PrintWriter err) {
            try {
                Machine m = TopologyCommand.load(topology, err);
                return Skb.of(m);
            } catch (MachineLoadException e) {
                err.println(e.getMessage());
                return null;
            }
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = {"Runs one Prolog goal and prints each solution on a line as 'Var = value, ...'.",
                "Exit status 1 when there is no solution or the goal is wrong.",
                "Example: flotilla skb query --topology amd-8x4 'multicast_tree(0, Sends)'"})
    static final class Query implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @picocli.CommandLine.Mixin
        private MachineOption machine;

        @Parameters(paramLabel = "GOAL", description = "A Prolog goal; the final '.' is optional.")
        private String goal;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Skb skb = machine.open(err);
            if (skb == null) {
                return Flotilla.EXIT_INPUT_ERROR;
            }
            try {
                List<Map<String, Object>> solutions = skb.query(goal);
                if (solutions.isEmpty()) {
                    err.println("flotilla: no solution: " + goal);
                    return Flotilla.EXIT_INPUT_ERROR;
                }
                solutions.forEach(s -> out.println(solution(s)));
                return 0;
            } catch (SkbQueryException e) {
                err.println(explain(goal, e));
                return Flotilla.EXIT_INPUT_ERROR;
            }
        }
    }

    @Command(name = "repl", mixinStandardHelpOptions = true,
            description = {"Reads goals from standard input, one per line, and prints their solutions.",
                "An empty line is skipped; 'halt.' or end of input ends it."})
    static final class Repl implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @picocli.CommandLine.Mixin
        private MachineOption machine;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Skb skb = machine.open(err);
            if (skb == null) {
                return Flotilla.EXIT_INPUT_ERROR;
            }
            out.println("SKB of " + skb.machine() + ". Goals one per line; 'halt.' to leave.");
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                out.print("?- ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("halt.") || line.strip().equals("halt")) {
                    out.println();
                    return 0;
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    List<Map<String, Object>> solutions = skb.query(line, 1000);
                    if (solutions.isEmpty()) {
                        out.println("false.");
                    }
                    solutions.forEach(s -> out.println(solution(s)));
                } catch (SkbQueryException e) {
                    out.println(explain(line, e));
                }
            }
        }
    }

    /** "Var = value, ..." or "true" for a solution that binds no variable. */
    static String solution(Map<String, Object> s) {
        if (s.isEmpty()) {
            return "true";
        }
        return s.entrySet().stream().map(e -> e.getKey() + " = " + Skb.format(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** The error, and for a syntax error the goal with a caret under the column. */
    static String explain(String goal, SkbQueryException e) {
        String message = "flotilla: " + e.getMessage();
        if (e.column() > 0 && goal.indexOf('\n') < 0 && goal.length() < 200) {
            message += "\n    " + goal + "\n    " + " ".repeat(Math.max(0, e.column() - 1)) + "^";
        }
        return message;
    }

    /**
     * {@code flotilla skb measure}: the online measurement Barrelfish runs at boot, on this host's real cores:
     * message round trips of every core pair (sampled when the budget is short), asserted as {@code message_rtt}
     * facts and printed.
     */
    @Command(name = "measure", mixinStandardHelpOptions = true,
            description = {"Measures the message round-trip time of every pair of this host's cores over urpc,"
                    + " on pinned threads, within a time budget, and prints the message_rtt facts it asserts.",
                "Pairs left when the budget runs out are sampled, and the output says so."})
    static final class Measure implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--budget-ms", defaultValue = "2000", paramLabel = "MS",
                description = "Time budget for the whole measurement (default: ${DEFAULT-VALUE} ms).")
        private long budgetMs;

        @Option(names = "--write-topo", paramLabel = "FILE",
                description = "Also write the host's simulated twin: the discovered topology with the measured"
                        + " latencies, message CPU cost and kernel crossings as 'measured' statements, a .topo the sim"
                        + " platform can run (-t FILE).")
        private java.nio.file.Path twin;

        @Option(names = "--twin-latency", defaultValue = "median", paramLabel = "median|mean|min",
                description = "Which round trip of a pair the twin takes: the median (default: the typical trip;"
                        + " a descheduled thread's trips move the mean, not the median), the mean (equal to it on a"
                        + " dedicated host), or the fastest.")
        private String twinLatency;

        @Option(names = "--pipelined", description = "Also measure the pipelined cost per message (Table 2's"
                + " throughput) of one pair of each pair class, in the first quarter of the budget; --write-topo"
                + " implies it.")
        private boolean pipelined;

        @Option(names = "--message-cpu", description = "Also measure the CPU cost of one message with both ends on"
                + " one pinned thread, through the runtime (stub, binding, urpc, the receiving core's loop, handler) and"
                + " through the bare channel, and what a kernel crossing costs on the pinned platform (a same-core"
                + " message, a capability invocation, a system call, an interrupt) and a message's and an"
                + " interrupt's round trip between cores 0 and 1, outside the budget (about 7.5 s: each message path"
                + " warms the JIT for 2 s, each crossing and round trip for 0.5 s); --write-topo implies it.")
        private boolean messageCpu;

        /** The JIT's warm-up of each kernel crossing's path: a call or two, compiled long before a message's. */
        private static final Duration CROSSING_WARMUP = Duration.ofMillis(500);

        @Override
        public Integer call() {
            if (budgetMs < 0 || budgetMs > 600_000) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Invalid value for option '--budget-ms': " + budgetMs + " (must be 0..600000)");
            }
            if (!List.of("median", "mean", "min").contains(twinLatency)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Invalid value for option '--twin-latency': '" + twinLatency + "' (median, mean or min)");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Skb skb;
            try {
                skb = Skb.of(TopologyCommand.load("host", err));
            } catch (MachineLoadException e) {
                err.println(e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
            // The pipelined cost is measured for one pair per class (a handful), so a quarter of the budget is
            // plenty; it goes first so that a budget the pairs' round trips would use up still leaves it its share.
            List<PipelineProbe.Pipelined> pipelined = List.of();
            long rttBudgetMs = budgetMs;
            if (twin != null || this.pipelined) {
                long share = budgetMs / 4;
                PipelineProbe.Result p = PipelineProbe.of(skb.machine()).run(Duration.ofMillis(share));
                pipelined = p.measured();
                rttBudgetMs = budgetMs - Math.min(share, p.elapsed().toMillis());
                out.println(p.summary());
                for (PipelineProbe.Pipelined x : pipelined) {
                    out.printf(Locale.ROOT, "%% pipelined %d -> %d (%s): %d cycles per message (fastest trial %d)%s%n",
                            x.pairClass().a(), x.pairClass().b(), x.pairClass().name(), x.cycles(), x.minCycles(),
                            x.pinned() ? "" : "   % threads not pinned");
                }
            }
            HostTwin.MessageCpu cpu = null;
            if (twin != null || messageCpu) {
                try {
                    MessageCpuProbe.Cost bare = MessageCpuProbe.bare(skb.machine().clockGhz());
                    RuntimeMessageCpu.Costs runtime = RuntimeMessageCpu.measureWithCrossings(skb.machine(),
                            Duration.ofMillis(MessageCpuProbe.WARMUP_MILLIS), CROSSING_WARMUP);
                    CrossCoreRoundTrip.Result interrupts = CrossCoreRoundTrip.interrupts(skb.machine(),
                            CROSSING_WARMUP, Duration.ofSeconds(10));
                    CrossCoreRoundTrip.Result messages = CrossCoreRoundTrip.messages(skb.machine(),
                            CROSSING_WARMUP, Duration.ofSeconds(10));
                    cpu = new HostTwin.MessageCpu(bare, runtime.message(), new HostTwin.Crossings(
                            runtime.lrpcMessage(), runtime.capabilityInvocation(), runtime.systemCall(),
                            runtime.interrupt(), interrupts), messages);
                } catch (RuntimeException e) {
                    err.println("flotilla skb measure: the message CPU probe failed: " + e.getMessage());
                    return Flotilla.EXIT_INTERNAL_ERROR;
                }
                out.printf(Locale.ROOT, "message cpu: %.1f cycles per message through the runtime (median trial"
                        + " %.1f), %.1f through the bare channel (median %.1f), both ends on one thread; %d at each"
                        + " end%s%n", cpu.runtime().cycles(), cpu.runtime().medianCycles(), cpu.bare().cycles(),
                        cpu.bare().medianCycles(), cpu.perEnd(),
                        cpu.runtime().pinned() ? "" : "   % thread not pinned");
                HostTwin.Crossings x = cpu.crossings();
                out.printf(Locale.ROOT, "kernel crossings: same-core message %.1f cycles, capability invocation"
                        + " %.1f, system call %.1f, interrupt %.1f (both ends; median trials %.1f, %.1f, %.1f, %.1f)%n",
                        x.lrpcMessage().cycles(), x.capabilityInvocation().cycles(), x.systemCall().cycles(),
                        x.interrupt().cycles(), x.lrpcMessage().medianCycles(),
                        x.capabilityInvocation().medianCycles(), x.systemCall().medianCycles(),
                        x.interrupt().medianCycles());
                for (var r : List.of(java.util.Map.entry("message", cpu.messageRoundTrip()),
                        java.util.Map.entry("interrupt", x.interruptRoundTrip()))) {
                    out.printf(Locale.ROOT, "%s round trip: %.1f cycles between cores 0 and 1 through the runtime"
                            + " (median of %d trials of %d; fastest %.1f)%s%n", r.getKey(), r.getValue().medianCycles(),
                            r.getValue().trials(), r.getValue().roundTrips(), r.getValue().fastestCycles(),
                            r.getValue().pinned() ? "" : "   % threads not pinned");
                }
            }
            RttProbe.Result result = RttProbe.measure(skb, Duration.ofMillis(rttBudgetMs));
            out.println(result.summary());
            for (RttProbe.PairRtt p : result.measured()) {
                out.printf(Locale.ROOT, "message_rtt(%d, %d, %d, %d, %d, %d).%s%n", p.a(), p.b(), p.avg(), p.var(),
                        p.min(), p.max(), p.pinned() ? "" : "   % threads not pinned");
            }
            if (twin != null) {
                var host = io.flotilla.machine.HostDiscovery.discoverHost();
                var statistic = HostTwin.Statistic.of(twinLatency);
                String text = HostTwin.topology(host.topology(), result.measured(), statistic, pipelined, cpu, "host-twin",
                        "The simulated twin of the host, written by 'flotilla skb measure --write-topo': "
                                + result.summary().strip());
                try {
                    java.nio.file.Files.writeString(twin, text);
                } catch (IOException e) {
                    err.println("flotilla skb measure: cannot write " + twin + ": " + e.getMessage());
                    return Flotilla.EXIT_INPUT_ERROR;
                }
                out.println("twin: " + twin + " (" + result.measured().size() + " measured pairs; run it with"
                        + " --platform sim -t " + twin + ")");
            }
            return 0;
        }
    }
}
