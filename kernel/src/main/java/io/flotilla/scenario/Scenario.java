package io.flotilla.scenario;

import io.flotilla.machine.Machine;
import java.util.List;
import java.util.Map;

/**
 * A workload the experiment runner can sweep: one named protocol or benchmark that, given a machine, a platform, a
 * series and a core count, boots a multikernel, runs, and reports what one operation cost. Plugins ship their
 * scenarios as ordinary services: a line naming the implementation in
 * {@code META-INF/services/io.flotilla.scenario.Scenario}, found with {@link java.util.ServiceLoader}, so the
 * implementation needs a public no-argument constructor.
 *
 * <p>A scenario must be deterministic on {@code sim}: everything random comes from the platform's seeded source,
 * so the same context gives the same {@link Measurement} and the same trace hash. It must never tune itself to a
 * published figure: it measures what the calibrated model makes of the protocol.
 */
public interface Scenario {

    /** A unique name, e.g. {@code "tlb-shootdown"}; experiment files name it. */
    String name();

    /** One line for {@code flotilla experiment list}. */
    String description();

    /** The series it can measure (e.g. {@code Broadcast, Unicast, ...}); an experiment picks some or all. */
    List<String> series();

    /**
     * The parameters it understands beyond series and cores, with their defaults as text (e.g. {@code rounds=20}).
     * The runner refuses an experiment file that names any other.
     */
    default Map<String, String> parameters() {
        return Map.of();
    }

    /** The smallest and largest core count it can run with. */
    default int minCores() {
        return 2;
    }

    /**
     * Whether {@code series} can be measured on {@code machine} at all, e.g. a series about core pairs that share a
     * cache on a machine whose cores share none. The runner skips (and reports) the points it is told no about
     * instead of failing the experiment. Default: every series on every machine.
     */
    default boolean supports(Machine machine, String series) {
        return true;
    }

    /**
     * Measures one point: boots its own multikernel on {@link ScenarioContext#newPlatform()} with the first
     * {@link ScenarioContext#cores()} cores of {@link ScenarioContext#machine()}, runs {@link ScenarioContext#series()},
     * closes everything it opened, and returns the cost of one operation in cycles.
     *
     * @throws ScenarioException for a bad parameter value or a run that did not finish; the runner reports it with
     *     the experiment's name and the point
     */
    Measurement run(ScenarioContext context);
}
