package io.flotilla.experiments.runner;

import java.util.List;
import java.util.Map;

/**
 * What {@code --quick} changes: fewer core counts, fewer repetitions, lighter parameters. An empty list, a zero or
 * an absent parameter keeps the experiment's own value.
 */
public record QuickOverrides(List<Integer> cores, int repetitions, Map<String, String> parameters) {

    public static final QuickOverrides NONE = new QuickOverrides(List.of(), 0, Map.of());

    public QuickOverrides {
        cores = List.copyOf(cores);
        parameters = Map.copyOf(parameters);
    }
}
