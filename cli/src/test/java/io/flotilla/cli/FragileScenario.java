package io.flotilla.cli;

import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scenario for the CLI's tests of experiments that survive, registered only in test resources. It measures
 * {@code 100 * cores + seed % 7} cycles at once (no platform), fails at the core count {@code fail-at} names, and
 * with {@code hog-mib} holds that many MiB of heap first, to run a small-heap JVM out of memory.
 */
public final class FragileScenario implements Scenario {

    @Override
    public String name() {
        return "test-fragile";
    }

    @Override
    public String description() {
        return "test only: cheap points, one of which can fail or exhaust the heap";
    }

    @Override
    public List<String> series() {
        return List.of("steady", "other");
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("fail-at", "0", "hog-mib", "0");
    }

    @Override
    public int minCores() {
        return 1;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        if (context.cores() == context.intParameter("fail-at", 0) && context.series().equals("steady")) {
            throw new ScenarioException("the steady series breaks at " + context.cores() + " cores, as asked");
        }
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < context.intParameter("hog-mib", 0); i++) {
            held.add(new byte[1 << 20]);
        }
        return Measurement.of(100.0 * context.cores() + Math.floorMod(context.seed(), 7) + held.size() % 2)
                .with("half", 50.0 * context.cores());
    }
}
