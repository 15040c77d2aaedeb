package io.flotilla.cli;

import io.flotilla.experiments.calibration.CrossCoreRoundTrip;
import io.flotilla.skb.MessageCpuProbe;
import io.flotilla.skb.PipelineProbe;
import io.flotilla.skb.RttProbe;
import java.util.List;
import java.util.Locale;

/**
 * The simulated twin of this host: the discovered topology ({@code flotilla topology discover}) with the latencies
 * measured on its own cores written in as {@code measured A -- B latency CYCLES} statements, so the {@code sim}
 * platform prices a message between two of the host's cores as the host measured it. A measured latency is one
 * one-frame message, the quantity the paper's Table 2 and the shipped machine files carry: half of the pair's median
 * urpc round trip by default ({@link Statistic}), and with the host's message CPU cost measured ({@link MessageCpu},
 * {@code measured message-cpu N}) a message through the runtime rather than the bare channel; {@code CostModel} then
 * splits it into the two ends' CPU work and two line transfers as for any machine. Pairs the measurement skipped
 * keep the discovered model's latency. With the kernel crossings measured ({@link Crossings}) the twin states those
 * too.
 *
 * <p>The pipelined cost per message of each pair class ({@link PipelineProbe}, Table 2's throughput column) is
 * written beside them as comments: the topology language has no statement for it, so the sim does not take it as
 * an input. The twin's pipelined cost is a prediction from the latency ({@code CostModel}: one end's CPU work plus
 * a line transfer) to be judged against these comments and against {@code table2-urpc} on pinned.
 */
final class HostTwin {

    private HostTwin() {}

    /**
     * {@code discovered} (one {@code machine "..." { ... }} block) renamed to {@code name}, with a {@code measured}
     * statement per pair of {@code pairs} before the block's closing brace.
     *
     * @throws IllegalArgumentException if {@code discovered} is not one machine block
     */
    static String topology(String discovered, List<RttProbe.PairRtt> pairs, String name, String provenance) {
        return topology(discovered, pairs, Statistic.MEDIAN, List.of(), null, name, provenance);
    }

    /**
     * The CPU cost of one message on this host, both ends on one thread: through the bare urpc channel the round
     * trips were timed on ({@link MessageCpuProbe#bare}), and through the runtime ({@code RuntimeMessageCpu}:
     * stub, binding, channel, the receiving core's loop, decoder, handler).
     *
     * <p>The twin's {@code measured message-cpu} is half the runtime's, each end's share ({@code CostModel} charges
     * the same at both ends). Its latencies are one-frame messages through the runtime, as every machine file's
     * are through its own stubs ({@code CostModel} takes two ends' CPU work and two line transfers out of each): a
     * pair's measured half round trip less the bare channel's CPU work is its line transfers, and both ends' runtime
     * work is added to them. So the sim's line transfer is the host's measured one, and its message the runtime's.
     *
     * <p>With a round trip through the runtime between cores 0 and 1 measured ({@code messageRoundTrip}, {@link
     * CrossCoreRoundTrip#messages}), the line transfers are scaled so that the pair's latency is half of it: a
     * message through the runtime moves more lines between the cores than the bare channel's frame (the binding's
     * state, its flow control), which one thread cannot see. The scale is the runtime's transfers over the bare
     * channel's for that pair, and every pair's bare transfers are multiplied by it: the runtime moves as many lines
     * whatever the distance, each costing what that pair's transfer does.
     */
    record MessageCpu(MessageCpuProbe.Cost bare, MessageCpuProbe.Cost runtime, Crossings crossings,
            CrossCoreRoundTrip.Result messageRoundTrip) {

        /** Without the kernel crossings (they keep the sim's TN-009 defaults) and the runtime's round trip. */
        MessageCpu(MessageCpuProbe.Cost bare, MessageCpuProbe.Cost runtime) {
            this(bare, runtime, null, null);
        }

        /**
         * The factor on the bare channel's line transfers ({@link #latency(double, double)}): the runtime's one-way
         * trip between cores 0 and 1 less both ends' runtime work, over that pair's bare transfers (its half round
         * trip {@code half01} less the bare channel's work); 1 without a round trip or a bare transfer to scale.
         */
        double transferScale(double half01) {
            double bareTransfers = half01 - bare.cycles();
            if (messageRoundTrip == null || !(bareTransfers > 0)) {
                return 1;
            }
            return Math.max(0, messageRoundTrip.oneWay() - 2 * perEnd()) / bareTransfers;
        }

        /** Cycles at each end: half the runtime's cost of one message, at least 1. */
        long perEnd() {
            return Math.max(1, Math.round(runtime.cycles() / 2));
        }

        /** A one-frame message through the runtime, given the bare channel's half round trip. */
        long latency(double halfRoundTrip) {
            return latency(halfRoundTrip, 1);
        }

        /** As {@link #latency(double)}, the bare channel's line transfers multiplied by {@code scale}. */
        long latency(double halfRoundTrip, double scale) {
            return Math.round(Math.max(0, halfRoundTrip - bare.cycles()) * scale) + 2 * perEnd();
        }
    }

    /**
     * What a kernel crossing costs on this host's pinned platform, each timed on one pinned thread as the message is
     * ({@code RuntimeMessageCpu#measureWithCrossings}): a message between two dispatchers of one core (lrpc), a
     * capability invocation and a system call by a dispatcher, and an interrupt from one core taken by another
     * core's handler, both ends. The twin states them ({@code measured lrpc-message}, {@code
     * capability-invocation}, {@code system-call}, {@code interrupt-send}, {@code interrupt-trap}) in place of
     * Table 1's LRPC and TN-009's numbers, which are what Barrelfish's CPU driver cost on the paper's machines and
     * what no JVM pays: the twin stands for the host as {@code pinned} runs on it. The interrupt's cost is split evenly
     * between its sender and its target, as a message's is.
     */
    record Crossings(MessageCpuProbe.Cost lrpcMessage, MessageCpuProbe.Cost capabilityInvocation,
            MessageCpuProbe.Cost systemCall, MessageCpuProbe.Cost interrupt,
            CrossCoreRoundTrip.Result interruptRoundTrip) {

        long lrpc() {
            return Math.round(lrpcMessage.cycles());
        }

        long capability() {
            return Math.round(capabilityInvocation.cycles());
        }

        long syscall() {
            return Math.round(systemCall.cycles());
        }

        /** The sender's share of an interrupt: half of both ends' work on one thread. */
        long interruptSend() {
            return Math.round(interrupt.cycles() / 2);
        }

        /**
         * What taking an interrupt costs its target in the twin: one interrupt between two cores ({@link
         * CrossCoreRoundTrip#interrupts}, half the round trip) less the sender's share and the one line transfer the
         * sim prices its delivery at ({@code transfer}, the pair's). So the twin's interrupt costs what {@code
         * pinned}'s does between those cores, lines its signal queue moves included; the target's half of the
         * one-thread work where that leaves less (or where no round trip was measured).
         */
        long interruptTrap(double transfer) {
            long half = interruptSend(); // the target's half of the one-thread work is the sender's too
            if (interruptRoundTrip == null) {
                return half;
            }
            return Math.max(half, Math.round(interruptRoundTrip.oneWay() - half - transfer));
        }
    }

    /**
     * Which round trip of a pair stands for it: its median (the default: the typical trip; a trip in which a thread
     * was descheduled costs a time slice, which no mechanism of the sim stands for, and a few of them move the mean
     * by orders of magnitude on a shared host), its mean (a dedicated host, where they agree), or its fastest (a
     * lower bound).
     */
    enum Statistic {
        MEDIAN, MEAN, MIN;

        long of(RttProbe.PairRtt p) {
            return switch (this) {
                case MEDIAN -> p.median();
                case MEAN -> p.avg();
                case MIN -> p.min();
            };
        }

        /** {@code median}, {@code mean} or {@code min}. */
        static Statistic of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }

        String word() {
            return switch (this) {
                case MEDIAN -> "median";
                case MEAN -> "mean";
                case MIN -> "fastest";
            };
        }
    }

    /**
     * As above, a pair's latency being half of {@code statistic} of its round trips; with {@code cpu} (null: not
     * measured, the sim's default applies and the latencies are the bare channel's), the runtime's message as
     * {@link MessageCpu} says.
     */
    static String topology(String discovered, List<RttProbe.PairRtt> pairs, Statistic statistic,
            List<PipelineProbe.Pipelined> pipelined, MessageCpu cpu, String name, String provenance) {
        int open = discovered.indexOf("machine \"");
        int close = discovered.lastIndexOf('}');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("the discovered topology is not one machine block");
        }
        int nameEnd = discovered.indexOf('"', open + "machine \"".length());
        StringBuilder out = new StringBuilder();
        out.append("// ").append(provenance.replace("\n", "\n// ")).append('\n');
        out.append(discovered, 0, open).append("machine \"").append(name).append('"');
        out.append(discovered, nameEnd + 1, close);
        // Cores 0 and 1: the pair the runtime's probes ran on.
        java.util.OptionalDouble half01 = pairs.stream().filter(p -> Math.min(p.a(), p.b()) == 0
                && Math.max(p.a(), p.b()) == 1).mapToDouble(p -> statistic.of(p) / 2.0).findFirst();
        double scale = cpu == null || half01.isEmpty() ? 1 : cpu.transferScale(half01.getAsDouble());
        if (cpu == null) {
            out.append("\n    // Measured on this host: half the ").append(statistic.word())
                    .append(" urpc round trip of each pair, in cycles of the clock above.\n");
        } else {
            out.append(String.format(Locale.ROOT, """

                    // Measured on this host, in cycles of the clock above. The CPU work of one message at each end:
                    // half of one message through the runtime (generated stub, binding, urpc channel, the receiving
                    // core's loop turn, decoder, handler) with both ends on one pinned thread, so that no line crosses
                    // a core: the fastest of %d trials of %d messages after %.0f s of untimed ones (the JIT's
                    // warm-up), %.1f a message (median trial %.1f)%s.
                    measured message-cpu %d
                    // Each pair's latency is one message through the runtime: half the %s round trip of a bare urpc
                    // channel between the pair's pinned threads, less that channel's own CPU work per message timed
                    // alike on one thread (%.1f, median trial %.1f), plus both ends' runtime work (2 x %d).
                    """, cpu.runtime().trials(), cpu.runtime().messagesPerTrial(),
                    MessageCpuProbe.WARMUP_MILLIS / 1000.0, cpu.runtime().cycles(), cpu.runtime().medianCycles(),
                    cpu.runtime().pinned() ? "" : ", NOT pinned", cpu.perEnd(), statistic.word(), cpu.bare().cycles(),
                    cpu.bare().medianCycles(), cpu.perEnd())
                    .replace("\n", "\n    ").stripTrailing()).append('\n');
            if (cpu.messageRoundTrip() != null) {
                out.append(String.format(Locale.ROOT, """
                            // Through the runtime between cores 0 and 1 (two pinned threads) a message took %.1f one
                            // way (half the median round trip of %d x %d%s), so each pair's bare transfers count %.3f
                            // times, which makes that pair's latency the runtime's own.
                        """, cpu.messageRoundTrip().oneWay(), cpu.messageRoundTrip().trials(),
                        cpu.messageRoundTrip().roundTrips(), cpu.messageRoundTrip().pinned() ? "" : ", NOT pinned",
                        scale));
            }
            Crossings x = cpu.crossings();
            if (x != null) {
                // The line transfer the sim prices between cores 0 and 1 (CostModel: half of what is left of a
                // message's latency after both ends' CPU work).
                double transfer = half01.isPresent()
                        ? (cpu.latency(half01.getAsDouble(), scale) - 2.0 * cpu.perEnd()) / 2 : 0;
                out.append("    ").append(String.format(Locale.ROOT, """
                        // What a kernel crossing costs here on the pinned platform, timed alike (fastest trial, median
                        // in brackets), instead of the CPU-driver costs of the paper's machines (Table 1, TN-009): a
                        // message between two dispatchers of one core (lrpc), one way, %.1f (%.1f); a capability
                        // invocation %.1f (%.1f) and a system call %.1f (%.1f), calls that enter no CPU driver; an
                        // interrupt sent by one core and taken by another's handler %.1f (%.1f), both ends: half
                        // charged to its sender; its target is charged what is left of one interrupt between cores
                        // 0 and 1, %s, after that half and one line transfer (%d).
                        measured lrpc-message %d
                        measured capability-invocation %d
                        measured system-call %d
                        measured interrupt-send %d
                        measured interrupt-trap %d
                        """, x.lrpcMessage().cycles(), x.lrpcMessage().medianCycles(),
                        x.capabilityInvocation().cycles(), x.capabilityInvocation().medianCycles(),
                        x.systemCall().cycles(), x.systemCall().medianCycles(), x.interrupt().cycles(),
                        x.interrupt().medianCycles(), x.interruptRoundTrip() == null ? "not measured"
                                : String.format(Locale.ROOT, "half the median round trip of %d x %d, %.1f%s",
                                        x.interruptRoundTrip().trials(), x.interruptRoundTrip().roundTrips(),
                                        x.interruptRoundTrip().oneWay(),
                                        x.interruptRoundTrip().pinned() ? "" : ", NOT pinned"),
                        Math.round(transfer), x.lrpc(), x.capability(), x.syscall(), x.interruptSend(),
                        x.interruptTrap(transfer))
                        .replace("\n", "\n    ").stripTrailing()).append('\n');
            }
        }
        for (RttProbe.PairRtt p : pairs) {
            double half = statistic.of(p) / 2.0;
            long latency = cpu == null ? Math.max(1, Math.round(half)) : cpu.latency(half, scale);
            out.append(String.format(Locale.ROOT, "    measured %d -- %d latency %d%n", p.a(), p.b(), latency));
        }
        if (!pipelined.isEmpty()) {
            out.append("\n    // Pipelined cost of one message of a back-to-back stream per pair class, cycles\n"
                    + "    // (median and fastest of the trials), measured alike; a record, not an input of the sim:\n");
            for (PipelineProbe.Pipelined p : pipelined) {
                out.append(String.format(Locale.ROOT,
                        "    // pipelined %d -- %d cycles %d min %d (%s, %d x %d messages%s)%n", p.pairClass().a(),
                        p.pairClass().b(), p.cycles(), p.minCycles(), p.pairClass().name(), p.trials(),
                        p.messages(), p.pinned() ? "" : ", NOT pinned"));
            }
        }
        out.append(discovered.substring(close));
        return out.toString();
    }
}
