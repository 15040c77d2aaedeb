package io.flotilla.experiments.calibration;

import io.flotilla.channel.TransportSelector;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.util.List;
import java.util.Map;

/**
 * {@code table1-lrpc}: Table 1 of the paper, same-core LRPC latency. A client and a server dispatcher on core 0
 * talk through the stubs generated from {@code calibration.if} over a binding forced onto {@code lrpc}; the client
 * makes null calls one at a time and the measurement is the mean time from call to reply (a call and its return,
 * as Table 1 times it), with the spread of the calls as {@code stddev}.
 */
public final class LrpcLatencyScenario implements Scenario {

    @Override
    public String name() {
        return "table1-lrpc";
    }

    @Override
    public String description() {
        return "Table 1: same-core LRPC latency (null rpc over a forced lrpc binding on core 0)";
    }

    @Override
    public List<String> series() {
        return List.of("lrpc");
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("rounds", "200", "warmup", "10");
    }

    @Override
    public int minCores() {
        return 1;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        int rounds = context.intParameter("rounds", 200);
        int warmup = context.intParameter("warmup", 10);
        if (rounds < 1 || warmup < 0) {
            throw new ScenarioException("rounds must be at least 1 and warmup at least 0");
        }
        if (context.quick()) {
            rounds = Math.min(rounds, 50);
        }
        var server = new EchoServer(true, 0);
        var probe = new Probe(Probe.Mode.NULL_CALL, warmup, rounds, 0);
        var hash = CalibrationRun.run(context, 1, 0, server, 0, probe, TransportSelector.LRPC);
        if (probe.rounds() != warmup + rounds) {
            throw new ScenarioException("only " + probe.rounds() + " of " + (warmup + rounds) + " calls returned");
        }
        long[] s = probe.samples();
        return Measurement.of(Stats.mean(s, 1)).with("stddev", Stats.stddev(s, 1)).with("rounds", rounds)
                .withTraceHash(hash);
    }
}
