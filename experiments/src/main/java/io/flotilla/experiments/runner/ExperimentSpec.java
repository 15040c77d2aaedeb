package io.flotilla.experiments.runner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One experiment file, checked: which scenario to sweep on which machines and platform, over which series and
 * core counts, how many repetitions from which seed, and the published values it is set beside. See
 * {@code docs/experiments.md} for every field.
 *
 * @param machines one or more machine names (or {@code .topo} paths); with several, each series is measured on each
 *     and labelled {@code "<machine> <series>"}
 * @param published published points by series label (as {@link #label} makes them)
 * @param groups named groups of series for the shape summary (see {@link #shapeGroups()}); may be empty
 * @param publishedIn where the published values come from (the file's {@code source:}), empty when it names none;
 *     the report calls them "published" only when it is given
 * @param xAxis {@code auto}, {@code linear} or {@code log}: how the plot scales core counts ({@code auto}: log
 *     where the values span two decades or more)
 * @param yAxis the same for the measured values
 * @param source the file or class-path resource it was read from
 * @param text the file's text, copied beside the results so a report can be rewritten from them alone
 */
public record ExperimentSpec(String name, String title, String description, String scenario, List<String> machines,
        String platform, List<String> series, List<Integer> cores, long seed, int repetitions,
        Map<String, String> parameters, QuickOverrides quick, Map<String, List<PublishedPoint>> published,
        Map<String, List<String>> groups, String xLabel, String yLabel, String notes, String publishedIn, String xAxis, String yAxis, String source, String text) {

    public ExperimentSpec {
        machines = List.copyOf(machines);
        series = List.copyOf(series);
        cores = List.copyOf(cores);
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        Map<String, List<PublishedPoint>> p = new LinkedHashMap<>();
        published.forEach((k, v) -> p.put(k, List.copyOf(v)));
        published = Collections.unmodifiableMap(p);
        Map<String, List<String>> g = new LinkedHashMap<>();
        groups.forEach((k, v) -> g.put(k, List.copyOf(v)));
        groups = Collections.unmodifiableMap(g);
    }

    /**
     * The groups of series the report's shape summary compares among themselves (series in different units, such
     * as a latency and a throughput, are not compared); one group of every series when the file names none.
     */
    public Map<String, List<String>> shapeGroups() {
        return groups.isEmpty() ? Map.of("all", series) : groups;
    }

    /** The series label the CSV, plot and report use for {@code series} measured on {@code machine}. */
    public String label(String machine, String series) {
        return machines.size() == 1 ? series : machine + " " + series;
    }

    /** The core counts a run uses, quick or not. */
    public List<Integer> cores(boolean quickRun) {
        return quickRun && !quick.cores().isEmpty() ? quick.cores() : cores;
    }

    /** The repetitions a run uses, quick or not. */
    public int repetitions(boolean quickRun) {
        return quickRun && quick.repetitions() > 0 ? quick.repetitions() : repetitions;
    }

    /** The parameters a run uses: the quick ones over the experiment's own when quick. */
    public Map<String, String> parameters(boolean quickRun) {
        if (!quickRun || quick.parameters().isEmpty()) {
            return parameters;
        }
        TreeMap<String, String> merged = new TreeMap<>(parameters);
        merged.putAll(quick.parameters());
        return Collections.unmodifiableMap(merged);
    }
}
