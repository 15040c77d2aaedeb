package io.flotilla.scenario;

import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One point of a sweep, as the runner hands it to {@link Scenario#run}.
 *
 * @param machine the whole machine; the scenario uses its first {@code cores} cores
 * @param platformName {@code sim} or {@code pinned}
 * @param series one of {@link Scenario#series()}
 * @param cores how many cores take part
 * @param seed the seed of this repetition (the sim platform from {@code platforms} is seeded with it)
 * @param quick whether the user asked for a quick run: fewer rounds, same protocol
 * @param parameters the experiment's parameters, already checked against {@link Scenario#parameters()}
 * @param platforms makes a fresh platform of the experiment's kind for each boot
 */
public record ScenarioContext(Machine machine, String platformName, String series, int cores, long seed,
        boolean quick, Map<String, String> parameters, Supplier<Platform> platforms) {

    public ScenarioContext {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(platformName, "platformName");
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(platforms, "platforms");
        parameters = Map.copyOf(parameters);
        if (cores < 1 || cores > machine.coreCount()) {
            throw new ScenarioException(cores + " cores asked of " + machine.name() + ", which has "
                    + machine.coreCount());
        }
    }

    /** A fresh platform to boot one multikernel on; the scenario closes it. */
    public Platform newPlatform() {
        return platforms.get();
    }

    /** A parameter as text, or {@code fallback} when the experiment does not set it. */
    public String parameter(String name, String fallback) {
        return parameters.getOrDefault(name, fallback);
    }

    /** A whole-number parameter; a value that is not one is a {@link ScenarioException} naming it. */
    public long longParameter(String name, long fallback) {
        String text = parameters.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new ScenarioException("parameter '" + name + "' must be a whole number, not '" + text + "'");
        }
    }

    public int intParameter(String name, int fallback) {
        long v = longParameter(name, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ScenarioException("parameter '" + name + "' is out of range: " + v);
        }
        return (int) v;
    }
}
