package io.flotilla.experiments.calibration;

import io.flotilla.channel.TransportSelector;
import io.flotilla.kernel.HandlerFailure;
import io.flotilla.kernel.Multikernel;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Boots one multikernel for a calibration point: the server and the probe on the given cores, every bind forced
 * onto one transport ({@code lrpc} for Table 1, {@code urpc} for Table 2), and runs it until the probe is done.
 */
final class CalibrationRun {

    private CalibrationRun() {}

    /** Runs and returns the trace hash; a failed handler or an unfinished run is a {@link ScenarioException}. */
    static OptionalLong run(ScenarioContext context, int cores, int serverCore, EchoServer server, int probeCore,
            Probe probe, String transport) {
        List<String> failures = new ArrayList<>();
        try (Multikernel mk = Multikernel.builder(context.machine(), context.newPlatform())
                .cores(cores)
                .selector(TransportSelector.forced(transport))
                .dispatcher(serverCore, server)
                .dispatcher(probeCore, probe)
                .onFailure((HandlerFailure f) -> failures.add("core " + f.core() + ": " + f.cause()))
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(30));
            if (!failures.isEmpty()) {
                throw new ScenarioException("a handler failed: " + failures.get(0));
            }
            if (probe.error() != null) {
                throw new ScenarioException(probe.error());
            }
            return mk.traceHash();
        }
    }
}
