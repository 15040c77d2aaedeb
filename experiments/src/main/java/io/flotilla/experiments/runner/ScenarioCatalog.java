package io.flotilla.experiments.runner;

import io.flotilla.scenario.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The scenarios on the class path, found as {@code io.flotilla.scenario.Scenario} services (the framework's SPI),
 * by name. A name claimed twice keeps the first and records the clash, which the runner reports when an experiment
 * names it.
 */
public final class ScenarioCatalog {

    private final SortedMap<String, Scenario> byName = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    private ScenarioCatalog() {}

    /** The scenarios {@code loader} can see. */
    public static ScenarioCatalog discover(ClassLoader loader) {
        ScenarioCatalog c = new ScenarioCatalog();
        var it = ServiceLoader.load(Scenario.class, loader).iterator();
        while (true) {
            Scenario s;
            try {
                if (!it.hasNext()) {
                    break;
                }
                s = it.next();
            } catch (ServiceConfigurationError e) {
                c.problems.add("a scenario could not be loaded: " + e.getMessage());
                continue;
            }
            Scenario earlier = c.byName.putIfAbsent(s.name(), s);
            if (earlier != null) {
                c.problems.add("scenario '" + s.name() + "' is offered by both " + earlier.getClass().getName()
                        + " and " + s.getClass().getName() + "; using the first");
            }
        }
        return c;
    }

    /** The scenarios on this class's own class path. */
    public static ScenarioCatalog discover() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return discover(l == null ? ScenarioCatalog.class.getClassLoader() : l);
    }

    public Optional<Scenario> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every scenario by name, sorted. */
    public SortedMap<String, Scenario> all() {
        return Collections.unmodifiableSortedMap(byName);
    }

    /** Services that failed to load or clashed by name. */
    public List<String> problems() {
        return List.copyOf(problems);
    }
}
