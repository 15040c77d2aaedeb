package io.flotilla.cli;

import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One point of a scenario, as {@code flotilla run SCENARIO} measures it: the same context the experiment runner
 * builds for one point of a sweep, checked the way an experiment file is (series, core count, parameters), and the
 * measurement printed as lines of {@code key: value}.
 */
final class ScenarioPoint {

    private ScenarioPoint() {}

    /** What is wrong with asking {@code scenario} for this point, or null when nothing is. */
    static String problem(Scenario scenario, Machine machine, String series, int cores, Map<String, String> params) {
        if (!scenario.series().contains(series)) {
            return "scenario '" + scenario.name() + "' has no series '" + series + "' (its series: "
                    + String.join(", ", scenario.series()) + ")";
        }
        if (cores < scenario.minCores() || cores > machine.coreCount()) {
            return "scenario '" + scenario.name() + "' needs " + scenario.minCores() + ".." + machine.coreCount()
                    + " cores on " + machine.name() + ", not " + cores;
        }
        for (String p : new TreeSet<>(params.keySet())) {
            if (!scenario.parameters().containsKey(p)) {
                return "scenario '" + scenario.name() + "' has no parameter '" + p + "' (its parameters: "
                        + (scenario.parameters().isEmpty() ? "none"
                                : String.join(", ", new TreeSet<>(scenario.parameters().keySet()))) + ")";
            }
        }
        if (!scenario.supports(machine, series)) {
            return "scenario '" + scenario.name() + "' cannot measure series '" + series + "' on " + machine.name();
        }
        return null;
    }

    /** Measures the point and prints it; the scenario's {@code ScenarioException} goes to the caller. */
    static void run(Scenario scenario, Machine machine, String platformName, String series, int cores, long seed,
            boolean quick, Map<String, String> params, Supplier<Platform> platforms, PrintWriter out) {
        var context = new ScenarioContext(machine, platformName, series, cores, seed, quick, params, platforms);
        Measurement m = scenario.run(context);
        out.printf("scenario %s, series %s: %d cores of %s on %s, seed %d%n", scenario.name(), series, cores,
                machine.name(), platformName, seed);
        out.printf("cycles: %.1f per operation%n", m.cycles());
        m.extra().forEach((k, v) -> out.printf("%s: %s%n", k, v));
        m.traceHash().ifPresent(h -> out.printf("trace-hash: %016x%n", h));
    }
}
