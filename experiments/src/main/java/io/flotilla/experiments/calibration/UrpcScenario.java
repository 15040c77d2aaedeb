package io.flotilla.experiments.calibration;

import io.flotilla.channel.TransportSelector;
import io.flotilla.machine.Machine;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code table2-urpc}: Table 2 of the paper, URPC between two cores of each class ({@link CorePairClass}): core 0
 * and the lowest-numbered core that forms a pair of that class with it. Both run the stubs generated from
 * {@code calibration.if} over a binding forced onto {@code urpc}.
 *
 * <ul>
 *   <li>{@code <class> latency}: the client pings, the server echoes, one at a time; the measurement is half the
 *   mean round trip, the one-way message latency the cost model calibrates against Table 2 (the calibration notes
 *   could not settle whether Table 2's figure is one way or a round trip; the {@code rtt} column keeps the whole
 *   round trip). {@code stddev} is the spread of the half round trips, {@code median} their median (on pinned,
 *   the typical message: the mean there includes round trips in which a thread lost its CPU).</li>
 *   <li>{@code <class> throughput}: the client sends a stream of pings back to back and the server notes when each
 *   arrives; the measurement is the pipelined cost of one message in cycles (the steady-state interval between
 *   arrivals), and {@code msgs_per_kcycle} is Table 2's throughput figure, 1000 divided by it.</li>
 * </ul>
 *
 * <p>The point's {@code cores} is the two cores taking part; the cores numbered between them boot idle, since the
 * pair's second core is found by class rather than by count.
 */
public final class UrpcScenario implements Scenario {

    private static final List<String> SERIES;

    static {
        List<String> s = new ArrayList<>();
        for (CorePairClass c : CorePairClass.values()) {
            s.add(c.label + " latency");
            s.add(c.label + " throughput");
        }
        SERIES = List.copyOf(s);
    }

    @Override
    public String name() {
        return "table2-urpc";
    }

    @Override
    public String description() {
        return "Table 2: URPC latency and pipelined throughput per core-pair class (shared cache, same package,"
                + " one hop, two hops)";
    }

    @Override
    public List<String> series() {
        return SERIES;
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("rounds", "200", "warmup", "10", "messages", "2000");
    }

    @Override
    public boolean supports(Machine machine, String series) {
        return pairClass(series).partnerOfCoreZero(machine) > 0;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        if (context.cores() != 2) {
            throw new ScenarioException("table2-urpc measures one core pair: cores must be 2, not " + context.cores());
        }
        CorePairClass pair = pairClass(context.series());
        int partner = pair.partnerOfCoreZero(context.machine());
        if (partner < 0) {
            throw new ScenarioException(context.machine().name() + " has no core pair of class '" + pair.label
                    + "'");
        }
        int rounds = context.intParameter("rounds", 200);
        int warmup = context.intParameter("warmup", 10);
        int messages = context.intParameter("messages", 2000);
        if (rounds < 1 || warmup < 0 || messages < 2) {
            throw new ScenarioException("rounds must be at least 1, warmup at least 0, messages at least 2");
        }
        if (context.quick()) {
            rounds = Math.min(rounds, 50);
            messages = Math.min(messages, 500);
        }
        int cores = partner + 1;
        if (context.series().endsWith(" throughput")) {
            var server = new EchoServer(false, messages);
            var probe = new Probe(Probe.Mode.STREAM, 0, 0, messages);
            var hash = CalibrationRun.run(context, cores, partner, server, 0, probe, TransportSelector.URPC);
            if (server.received() != messages) {
                throw new ScenarioException("only " + server.received() + " of " + messages + " messages arrived");
            }
            // Steady state: skip the first quarter, while the ring first fills.
            long[] t = server.arrivals();
            int from = messages / 4;
            double perMessage = (double) (t[messages - 1] - t[from]) / (messages - 1 - from);
            return Measurement.of(perMessage).with("msgs_per_kcycle", perMessage == 0 ? 0 : 1000 / perMessage)
                    .with("partner_core", partner).withTraceHash(hash);
        }
        var server = new EchoServer(true, 0);
        var probe = new Probe(Probe.Mode.PING_ECHO, warmup, rounds, 0);
        var hash = CalibrationRun.run(context, cores, partner, server, 0, probe, TransportSelector.URPC);
        if (probe.rounds() != warmup + rounds) {
            throw new ScenarioException("only " + probe.rounds() + " of " + (warmup + rounds) + " pings came back");
        }
        long[] s = probe.samples();
        return Measurement.of(Stats.mean(s, 0.5)).with("stddev", Stats.stddev(s, 0.5)).with("rtt", Stats.mean(s, 1))
                .with("median", Stats.median(s, 0.5))
                .with("partner_core", partner).withTraceHash(hash);
    }

    private static CorePairClass pairClass(String series) {
        int space = series.lastIndexOf(' ');
        return CorePairClass.byLabel(space < 0 ? series : series.substring(0, space)).orElseThrow(
                () -> new ScenarioException("no series '" + series + "'"));
    }
}
