package io.flotilla.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The name service, kept by the monitor of one core (Barrelfish keeps it in Octopus, beside the SKB): which iref a
 * name means. A look-up of a name not yet registered waits here until it is; the asker times out on its own core.
 * Reached only through {@code intermon} messages ({@code register}, {@code deregister}, {@code resolve}).
 *
 * <p>Maps looked up by key, never iterated; waiters answered in the order they asked: deterministic on sim.
 */
final class NameService {

    private final Map<String, Integer> registry = new HashMap<>();
    private final Map<String, List<IntConsumer>> waiting = new HashMap<>();

    void register(String name, int iref) {
        registry.put(name, iref);
        List<IntConsumer> waiters = waiting.remove(name);
        if (waiters != null) {
            for (IntConsumer w : waiters) {
                w.accept(iref);
            }
        }
    }

    void deregister(String name, int iref) {
        registry.remove(name, iref);
    }

    /** Answers with the iref of {@code name} now, or when it is registered. */
    void resolve(String name, IntConsumer answer) {
        Integer iref = registry.get(name);
        if (iref != null) {
            answer.accept(iref);
        } else {
            waiting.computeIfAbsent(name, n -> new ArrayList<>()).add(answer);
        }
    }
}
