package io.flotilla.experiments.runner;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.Mechanism;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each mechanism of the simulator's cost model contributes to an experiment: the experiment re-run on
 * {@code sim} with each {@link Mechanism} switched off in turn, beside the calibrated model, at the file's quick core
 * counts (its own when it has none), one repetition at the base seed. Written to {@code NAME.ablation.csv}
 * ({@code mechanism,series,cores,cycles}; mechanism {@code none} is the calibrated model) and shown by
 * {@link #appendSection} as a table in {@code report.md}.
 */
final class Ablation {

    static final String SUFFIX = ".ablation.csv";
    static final String CALIBRATED = "none";

    private Ablation() {}

    /** Runs the ablation of {@code spec} and writes {@code dir/NAME.ablation.csv}. */
    static Path run(ExperimentSpec spec, Scenario scenario, long seed, Path dir) throws IOException {
        List<Integer> cores = spec.cores(true);
        Map<String, String> parameters = spec.parameters(false);
        List<Set<Mechanism>> variants = new ArrayList<>();
        variants.add(EnumSet.noneOf(Mechanism.class));
        for (Mechanism m : Mechanism.values()) {
            variants.add(EnumSet.of(m));
        }
        StringBuilder csv = new StringBuilder("mechanism,series,cores,cycles\n");
        for (String machineName : spec.machines()) {
            Machine machine = Machines.load(machineName);
            for (String series : spec.series()) {
                if (!scenario.supports(machine, series)) {
                    continue;
                }
                for (int n : cores) {
                    for (Set<Mechanism> off : variants) {
                        String name = off.isEmpty() ? CALIBRATED : off.iterator().next().label();
                        var context = new ScenarioContext(machine, "sim", series, n, seed, false, parameters,
                                () -> new SimPlatform(seed, off));
                        double cycles;
                        try {
                            cycles = scenario.run(context).cycles();
                        } catch (RuntimeException e) {
                            throw new ExperimentRunException("ablation of experiment '" + spec.name() + "' without "
                                    + name + ", series '" + series + "' at " + n + " cores: " + e.getMessage(), e);
                        }
                        csv.append(name).append(',').append(quote(spec.label(machineName, series))).append(',')
                                .append(n).append(',').append(String.format(Locale.ROOT, "%.3f", cycles))
                                .append('\n');
                    }
                }
            }
        }
        Path out = dir.resolve(spec.name() + SUFFIX);
        Files.writeString(out, csv);
        return out;
    }

    /** Appends the ablation table of experiment {@code name} to {@code md} if {@code dir} has one. */
    static void appendSection(StringBuilder md, Path dir, String name) throws IOException {
        Path csv = dir.resolve(name + SUFFIX);
        if (!Files.exists(csv)) {
            return;
        }
        // (series, cores) -> mechanism -> cycles, all in file order.
        Map<String, Map<String, Double>> points = new LinkedHashMap<>();
        List<String> mechanisms = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = CsvTable.cells(line);
            if (f.size() != 4) {
                continue;
            }
            if (!mechanisms.contains(f.get(0))) {
                mechanisms.add(f.get(0));
            }
            points.computeIfAbsent(f.get(1) + " | " + f.get(2), k -> new LinkedHashMap<>())
                    .put(f.get(0), Double.parseDouble(f.get(3)));
        }
        mechanisms.remove(CALIBRATED);
        md.append("**Ablation.** Each mechanism of the sim's cost model switched off in turn (`").append(name)
                .append(SUFFIX).append("`; one repetition at the base seed): cycles, and in brackets the change from"
                        + " the calibrated model. A mechanism whose removal changes a curve's shape is part of why it"
                        + " has that shape; see CostModel's javadoc for each one's source.\n\n");
        md.append("| series | cores | calibrated |");
        for (String m : mechanisms) {
            md.append(" no ").append(m).append(" |");
        }
        md.append("\n|---|---:|---:|").append("---:|".repeat(mechanisms.size())).append('\n');
        for (var e : points.entrySet()) {
            Double base = e.getValue().get(CALIBRATED);
            md.append("| ").append(e.getKey()).append(" | ").append(base == null ? "" : ReportWriter.fmt(base))
                    .append(" |");
            for (String m : mechanisms) {
                Double v = e.getValue().get(m);
                md.append(' ');
                if (v != null) {
                    md.append(ReportWriter.fmt(v));
                    if (base != null && base != 0) {
                        md.append(String.format(Locale.ROOT, " (%+.0f %%)", 100 * (v - base) / base));
                    }
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String quote(String s) {
        return s.indexOf(',') < 0 && s.indexOf('"') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
    }
}
