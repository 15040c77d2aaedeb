package io.flotilla.cli;

import io.flotilla.skb.RttProbe;
import java.util.List;
import java.util.Locale;

/**
 * The simulated twin of this host: the discovered topology ({@code flotilla topology discover}) with the latencies
 * measured on its own cores written in as {@code measured A -- B latency CYCLES} statements, so the {@code sim}
 * platform prices a message between two of the host's cores as the host measured it. A measured latency is half of
 * the pair's mean urpc round trip (one one-frame message, the quantity the paper's Table 2 and the shipped machine
 * files carry); {@code CostModel} then splits it into the two ends' CPU work and two line transfers as for any
 * machine. Pairs the measurement skipped keep the discovered model's latency.
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
        return topology(discovered, pairs, Statistic.MEAN, name, provenance);
    }

    /** Which round trip of a pair stands for it: its mean, or its fastest (a host too busy for a clean mean). */
    enum Statistic {
        MEAN, MIN;

        long of(RttProbe.PairRtt p) {
            return this == MEAN ? p.avg() : p.min();
        }
    }

    /** As above, a pair's latency being half of {@code statistic} of its round trips. */
    static String topology(String discovered, List<RttProbe.PairRtt> pairs, Statistic statistic, String name,
            String provenance) {
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
        out.append("\n    // Measured on this host: half the ").append(statistic == Statistic.MEAN ? "mean" : "fastest")
                .append(" urpc round trip of each pair, in cycles of the clock above.\n");
        for (RttProbe.PairRtt p : pairs) {
            out.append(String.format(Locale.ROOT, "    measured %d -- %d latency %d%n", p.a(), p.b(),
                    Math.max(1, Math.round(statistic.of(p) / 2.0))));
        }
        out.append(discovered.substring(close));
        return out.toString();
    }
}
