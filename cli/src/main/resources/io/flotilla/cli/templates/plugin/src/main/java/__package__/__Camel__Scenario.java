package {{package}};

import io.flotilla.kernel.Multikernel;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {{name}} protocol as a scenario the experiment runner sweeps ({{name}}.yaml): cycles per round of pings from
 * core 0 to every other core, one core at a time ({@code sequential}) or all at once ({@code parallel}). Registered
 * in META-INF/services/io.flotilla.scenario.Scenario.
 */
public final class {{Camel}}Scenario implements Scenario {

    /** ServiceLoader's way in: public, no arguments. */
    public {{Camel}}Scenario() {}

    @Override
    public String name() {
        return "{{name}}";
    }

    @Override
    public String description() {
        return "core 0 pings every other core, one at a time or all at once";
    }

    @Override
    public List<String> series() {
        return List.of("sequential", "parallel");
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("rounds", "10");
    }

    @Override
    public Measurement run(ScenarioContext context) {
        int rounds = context.intParameter("rounds", 10);
        if (rounds < 1) {
            throw new ScenarioException("parameter 'rounds' must be at least 1, not " + rounds);
        }
        var protocol = new {{Camel}}Protocol();
        var pinger = protocol.pinger(context.cores(), rounds, context.series().equals("parallel"));
        try (Multikernel mk = Multikernel.builder(context.machine(), context.newPlatform())
                .cores(context.cores())
                .dispatcher(0, pinger)
                .dispatchers(core -> core == 0 ? null : protocol.responder())
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(30));
            if (pinger.elapsed() < 0) {
                throw new ScenarioException("the pings did not all come back within 30 s");
            }
            return Measurement.of((double) pinger.elapsed() / rounds)
                    .with("messages", 2.0 * pinger.echoes())
                    .withTraceHash(mk.traceHash());
        }
    }
}
