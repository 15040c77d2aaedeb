package io.flotilla.experiments.runner;

import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.machine.Machines;
import io.flotilla.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads an experiment file and checks it against the scenarios on the class path and the machines it names. Every
 * problem is an {@link ExperimentFormatException} naming the file, the line and column, and the field: unknown
 * fields, values of the wrong type, an unknown scenario, series or machine, a bad core range, core counts a machine
 * does not have, parameters the scenario does not declare, published values for series the experiment does not
 * measure.
 */
public final class ExperimentLoader {

    private static final Set<String> FIELDS = Set.of("name", "title", "description", "scenario", "machine",
            "platform", "series", "cores", "seed", "repetitions", "parameters", "quick", "published", "groups", "x-label",
            "y-label", "notes", "source", "x-axis", "y-axis");
    private static final Set<String> QUICK_FIELDS = Set.of("cores", "repetitions", "parameters");
    private static final Set<String> POINT_FIELDS = Set.of("cores", "cycles", "source");
    private static final Set<String> PLATFORMS = Set.of("sim", "pinned");
    private static final Set<String> SCALES = Set.of("auto", "linear", "log");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final ScenarioCatalog scenarios;

    public ExperimentLoader(ScenarioCatalog scenarios) {
        this.scenarios = scenarios;
    }

    /**
     * Reads and checks the file at {@code path}. Only plain files are read, and no further than
     * {@link InputLimits#MAX_FILE_BYTES}: a device such as {@code /dev/zero} reports a size of 0 and never ends.
     */
    public ExperimentSpec load(Path path) {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new ExperimentFormatException(path + ": not a plain file (a directory, device or pipe); an"
                    + " experiment file is a YAML file");
        }
        String text;
        try (InputStream in = Files.newInputStream(path)) {
            text = boundedText(path.toString(), in);
        } catch (NoSuchFileException e) {
            throw new ExperimentFormatException(path + ": no such file");
        } catch (IOException e) {
            throw new ExperimentFormatException(path + ": cannot read: " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /** {@code in} as UTF-8, refused once it passes {@link InputLimits#MAX_FILE_BYTES}. */
    static String boundedText(String file, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(InputLimits.MAX_FILE_BYTES + 1);
        if (bytes.length > InputLimits.MAX_FILE_BYTES) {
            throw new ExperimentFormatException(file + ": larger than " + InputLimits.MAX_FILE_BYTES
                    + " bytes; an experiment file is a few kilobytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Checks {@code text}, read from {@code file} (used in messages). */
    public ExperimentSpec parse(String file, String text) {
        return new Reader(file).read(text);
    }

    /** One file's reading: the file name every message starts with. */
    private final class Reader {
        private final String file;

        Reader(String file) {
            this.file = file;
        }

        ExperimentSpec read(String text) {
            YamlNode root = YamlNode.parse(file, text);
            if (root.kind != YamlNode.Kind.MAP) {
                throw new ExperimentFormatException(file + ":" + root.mark.line() + ":" + root.mark.column()
                        + ": an experiment file is a mapping of fields (name, scenario, machine, cores, ...), not "
                        + root.describe());
            }
            unknownFields(root, "", FIELDS);
            String name = text(required(root, "name"), "name");
            if (!NAME.matcher(name).matches()) {
                throw fail(root.entries.get("name").value(), "name", "'" + name + "' must be lower case letters,"
                        + " digits, '.', '_' or '-' (it names the output files)");
            }
            String title = optionalText(root, "title", name);
            String description = text(required(root, "description"), "description");

            YamlNode scenarioNode = required(root, "scenario");
            String scenarioName = text(scenarioNode, "scenario");
            Scenario scenario = scenarios.find(scenarioName).orElseThrow(() -> fail(scenarioNode, "scenario",
                    "no scenario '" + scenarioName + "' on the class path (known: "
                            + String.join(", ", scenarios.all().keySet()) + "); a plugin ships one in"
                            + " META-INF/services/io.flotilla.scenario.Scenario"));

            List<String> machineNames = new ArrayList<>();
            List<Machine> machines = new ArrayList<>();
            YamlNode machineNode = required(root, "machine");
            List<YamlNode> machineItems = machineNode.kind == YamlNode.Kind.LIST ? machineNode.items
                    : List.of(machineNode);
            if (machineItems.isEmpty()) {
                throw fail(machineNode, "machine", "names no machine");
            }
            for (YamlNode m : machineItems) {
                String mName = text(m, "machine");
                try {
                    machines.add(Machines.load(mName));
                } catch (MachineLoadException | IllegalArgumentException e) {
                    throw fail(m, "machine", "unknown machine '" + mName + "' (shipped: "
                            + String.join(", ", Machines.list()) + "): " + e.getMessage());
                }
                if (machineNames.contains(mName)) {
                    throw fail(m, "machine", "'" + mName + "' is named twice");
                }
                machineNames.add(mName);
            }

            String platform = optionalText(root, "platform", "sim");
            if (!PLATFORMS.contains(platform)) {
                throw fail(root.entries.get("platform").value(), "platform", "'" + platform
                        + "' is not a platform: sim or pinned");
            }

            List<String> series = new ArrayList<>();
            YamlNode seriesNode = field(root, "series");
            if (seriesNode == null) {
                series.addAll(scenario.series());
            } else {
                for (YamlNode s : list(seriesNode, "series")) {
                    String sName = text(s, "series");
                    if (!scenario.series().contains(sName)) {
                        throw fail(s, "series", "scenario '" + scenarioName + "' has no series '" + sName
                                + "' (it has: " + String.join(", ", scenario.series()) + ")");
                    }
                    if (series.contains(sName)) {
                        throw fail(s, "series", "'" + sName + "' is named twice");
                    }
                    series.add(sName);
                }
                if (series.isEmpty()) {
                    throw fail(seriesNode, "series", "names no series");
                }
            }

            List<Integer> cores = cores(required(root, "cores"), "cores", scenario, machines);
            long seed = field(root, "seed") == null ? 1 : integer(field(root, "seed"), "seed", Long.MIN_VALUE,
                    Long.MAX_VALUE);
            int repetitions = field(root, "repetitions") == null ? 1
                    : (int) integer(field(root, "repetitions"), "repetitions", 1, 10_000);
            Map<String, String> parameters = parameters(field(root, "parameters"), "parameters", scenario);

            QuickOverrides quick = QuickOverrides.NONE;
            YamlNode quickNode = field(root, "quick");
            if (quickNode != null) {
                mapping(quickNode, "quick");
                unknownFields(quickNode, "quick.", QUICK_FIELDS);
                YamlNode qc = field(quickNode, "cores");
                YamlNode qr = field(quickNode, "repetitions");
                quick = new QuickOverrides(qc == null ? List.of() : cores(qc, "quick.cores", scenario, machines),
                        qr == null ? 0 : (int) integer(qr, "quick.repetitions", 1, 10_000),
                        parameters(field(quickNode, "parameters"), "quick.parameters", scenario));
            }

            points(root, machineNames.size(), series.size(), cores.size(), repetitions, "");
            if (quickNode != null) {
                points(quickNode, machineNames.size(), series.size(), quick.cores().isEmpty() ? cores.size()
                        : quick.cores().size(), quick.repetitions() == 0 ? repetitions : quick.repetitions(),
                        "quick.");
            }
            Map<String, List<PublishedPoint>> published = published(field(root, "published"), machineNames,
                    series);
            Map<String, List<String>> groups = groups(field(root, "groups"), series);
            String xLabel = optionalText(root, "x-label", "cores");
            String yLabel = optionalText(root, "y-label", "cycles");
            String notes = optionalText(root, "notes", "");
            String publishedIn = optionalText(root, "source", "").strip();
            String xAxis = scale(root, "x-axis");
            String yAxis = scale(root, "y-axis");
            return new ExperimentSpec(name, title, description, scenarioName, machineNames, platform, series, cores,
                    seed, repetitions, parameters, quick, published, groups, xLabel, yLabel, notes.strip(),
                    publishedIn.replaceAll("\\s+", " "), xAxis, yAxis, file, text);
        }

        private List<Integer> cores(YamlNode node, String field, Scenario scenario, List<Machine> machines) {
            List<Integer> out = new ArrayList<>();
            if (node.kind == YamlNode.Kind.LIST) {
                if (node.items.size() > InputLimits.MAX_CORE_COUNTS) {
                    throw fail(node, field, "names " + node.items.size() + " core counts; at most "
                            + InputLimits.MAX_CORE_COUNTS + " in one sweep");
                }
                for (YamlNode item : node.items) {
                    out.add((int) integer(item, field, 1, InputLimits.MAX_CORES));
                }
                if (out.isEmpty()) {
                    throw fail(node, field, "names no core count");
                }
            } else if (node.kind == YamlNode.Kind.INTEGER) {
                out.add((int) integer(node, field, 1, InputLimits.MAX_CORES));
            } else if (node.kind == YamlNode.Kind.TEXT) {
                try {
                    int smallest = machines.stream().mapToInt(Machine::coreCount).min().orElse(-1);
                    out.addAll(CoreRange.parse(node.text, InputLimits.MAX_CORES, InputLimits.MAX_CORE_COUNTS,
                            smallest));
                } catch (IllegalArgumentException e) {
                    throw fail(node, field, e.getMessage());
                }
            } else {
                throw fail(node, field, "expected a core range (A..B, A..B step S), a list or a number, not "
                        + node.describe());
            }
            for (int i = 1; i < out.size(); i++) {
                if (out.get(i) <= out.get(i - 1)) {
                    throw fail(node, field, "core counts must ascend without repeats: " + out);
                }
            }
            int min = out.get(0);
            int max = out.get(out.size() - 1);
            if (min < scenario.minCores()) {
                throw fail(node, field, "scenario '" + scenario.name() + "' needs at least " + scenario.minCores()
                        + " cores, not " + min);
            }
            for (Machine m : machines) {
                if (max > m.coreCount()) {
                    throw fail(node, field, max + " cores asked of " + m.name() + ", which has " + m.coreCount());
                }
            }
            return out;
        }

        private String scale(YamlNode root, String field) {
            String v = optionalText(root, field, "auto");
            if (!SCALES.contains(v)) {
                throw fail(root.entries.get(field).value(), field, "'" + v + "' is not an axis scale: auto, linear"
                        + " or log");
            }
            return v;
        }

        /** Refuses a run of more than {@link InputLimits#MAX_POINTS} points, naming the product that made it. */
        private void points(YamlNode at, int machines, int series, int cores, int repetitions, String prefix) {
            long points = (long) machines * series * cores * repetitions;
            if (points > InputLimits.MAX_POINTS) {
                YamlNode node = field(at, "repetitions") != null ? field(at, "repetitions") : field(at, "cores");
                throw fail(node == null ? at : node, prefix + (field(at, "repetitions") != null ? "repetitions"
                        : "cores"), machines + " machine(s) x " + series + " series x " + cores + " core counts x "
                        + repetitions + " repetitions = " + points + " points; at most " + InputLimits.MAX_POINTS
                        + " in one run (split it, or run shards: --shard K/N)");
            }
        }

        private Map<String, String> parameters(YamlNode node, String field, Scenario scenario) {
            Map<String, String> out = new TreeMap<>();
            if (node == null) {
                return out;
            }
            mapping(node, field);
            Map<String, String> declared = scenario.parameters();
            for (YamlNode.Entry e : node.entries.values()) {
                if (!declared.containsKey(e.key())) {
                    throw ExperimentFormatException.at(file, e.keyMark(), field + "." + e.key(), "scenario '"
                            + scenario.name() + "' declares no parameter '" + e.key() + "'"
                            + (declared.isEmpty() ? " (it takes none)" : " (it takes: "
                                    + String.join(", ", new TreeMap<>(declared).keySet()) + ")"));
                }
                YamlNode v = e.value();
                if (!v.isScalar() || v.kind == YamlNode.Kind.NULL) {
                    throw fail(v, field + "." + e.key(), "expected a single value, not " + v.describe());
                }
                out.put(e.key(), parameterValue(v, field + "." + e.key()));
            }
            return out;
        }

        /**
         * A parameter's value as text, held to {@link InputLimits}: scenarios size arrays and loops by their
         * parameters, so a number is bounded here, where the file and line are known, rather than in the scenario.
         */
        private String parameterValue(YamlNode v, String field) {
            switch (v.kind) {
                case INTEGER -> {
                    integer(v, field, -InputLimits.MAX_PARAMETER, InputLimits.MAX_PARAMETER);
                    return v.text;
                }
                case DECIMAL -> {
                    double d = finite(v, field);
                    if (Math.abs(d) > InputLimits.MAX_PARAMETER) {
                        throw fail(v, field, v.text + " is out of range -" + InputLimits.MAX_PARAMETER + ".."
                                + InputLimits.MAX_PARAMETER);
                    }
                    return v.text;
                }
                default -> {
                    if (v.text.length() > InputLimits.MAX_PARAMETER_CHARS) {
                        throw fail(v, field, "longer than " + InputLimits.MAX_PARAMETER_CHARS + " characters");
                    }
                    return v.text;
                }
            }
        }

        private Map<String, List<String>> groups(YamlNode node, List<String> series) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            if (node == null) {
                return out;
            }
            mapping(node, "groups");
            for (YamlNode.Entry e : node.entries.values()) {
                String field = "groups." + e.key();
                List<String> members = new ArrayList<>();
                for (YamlNode m : list(e.value(), field)) {
                    String name = text(m, field);
                    if (!series.contains(name)) {
                        throw fail(m, field, "the experiment measures no series '" + name + "' (it measures: "
                                + String.join(", ", series) + ")");
                    }
                    members.add(name);
                }
                out.put(e.key(), members);
            }
            return out;
        }

        private Map<String, List<PublishedPoint>> published(YamlNode node, List<String> machines,
                List<String> series) {
            Map<String, List<PublishedPoint>> out = new LinkedHashMap<>();
            if (node == null) {
                return out;
            }
            mapping(node, "published");
            List<String> labels = new ArrayList<>();
            for (String m : machines) {
                for (String s : series) {
                    labels.add(machines.size() == 1 ? s : m + " " + s);
                }
            }
            for (YamlNode.Entry e : node.entries.values()) {
                String field = "published." + e.key();
                if (!labels.contains(e.key())) {
                    throw ExperimentFormatException.at(file, e.keyMark(), field, "the experiment measures no series '"
                            + e.key() + "' (it measures: " + String.join(", ", labels) + ")");
                }
                List<PublishedPoint> points = new ArrayList<>();
                List<YamlNode> items = list(e.value(), field);
                for (int i = 0; i < items.size(); i++) {
                    YamlNode p = items.get(i);
                    String pf = field + "[" + i + "]";
                    mapping(p, pf);
                    unknownFields(p, pf + ".", POINT_FIELDS);
                    int cores = (int) integer(requiredIn(p, "cores", pf), pf + ".cores", 1, Integer.MAX_VALUE);
                    double cycles = decimal(requiredIn(p, "cycles", pf), pf + ".cycles");
                    YamlNode src = field(p, "source");
                    points.add(new PublishedPoint(cores, cycles, src == null ? "" : text(src, pf + ".source")));
                }
                out.put(e.key(), points);
            }
            return out;
        }

        // ---- typed access ---------------------------------------------------------------------------------------

        private void unknownFields(YamlNode map, String prefix, Set<String> known) {
            for (YamlNode.Entry e : map.entries.values()) {
                if (!known.contains(e.key())) {
                    throw ExperimentFormatException.at(file, e.keyMark(), prefix + e.key(), "unknown field (known: "
                            + String.join(", ", new TreeSet<>(known)) + ")");
                }
            }
        }

        private YamlNode field(YamlNode map, String key) {
            YamlNode.Entry e = map.entries.get(key);
            return e == null ? null : e.value();
        }

        private YamlNode required(YamlNode map, String key) {
            return requiredIn(map, key, null);
        }

        private YamlNode requiredIn(YamlNode map, String key, String parent) {
            YamlNode v = field(map, key);
            String name = parent == null ? key : parent + "." + key;
            if (v == null) {
                throw fail(map, name, "missing (it is required)");
            }
            if (v.kind == YamlNode.Kind.NULL) {
                throw fail(v, name, "has no value");
            }
            return v;
        }

        private String optionalText(YamlNode map, String key, String fallback) {
            YamlNode v = field(map, key);
            return v == null ? fallback : text(v, key);
        }

        private String text(YamlNode node, String field) {
            if (node.kind == YamlNode.Kind.TEXT || node.kind == YamlNode.Kind.INTEGER
                    || node.kind == YamlNode.Kind.DECIMAL) {
                return node.text;
            }
            throw fail(node, field, "expected text, not " + node.describe());
        }

        private long integer(YamlNode node, String field, long min, long max) {
            if (node.kind != YamlNode.Kind.INTEGER) {
                throw fail(node, field, "expected a whole number, not " + node.describe());
            }
            long v;
            try {
                v = Long.parseLong(node.text);
            } catch (NumberFormatException e) {
                throw fail(node, field, node.text + " is out of range");
            }
            if (v < min || v > max) {
                throw fail(node, field, v + " is out of range " + min + ".." + max);
            }
            return v;
        }

        private double decimal(YamlNode node, String field) {
            if (node.kind != YamlNode.Kind.INTEGER && node.kind != YamlNode.Kind.DECIMAL) {
                throw fail(node, field, "expected a number, not " + node.describe());
            }
            double v = finite(node, field);
            if (v < 0) {
                throw fail(node, field, "must be a non-negative number: " + node.text);
            }
            return v;
        }

        /**
         * A number as a finite double. YAML's {@code .inf} and {@code .nan} arrive as numbers whose text Java does
         * not parse; they, and values too large for a double, are refused here.
         */
        private double finite(YamlNode node, String field) {
            double v;
            try {
                v = Double.parseDouble(node.text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw fail(node, field, "must be a finite number, not " + node.text);
            }
            if (!Double.isFinite(v)) {
                throw fail(node, field, "must be a finite number, not " + node.text);
            }
            return v;
        }

        private void mapping(YamlNode node, String field) {
            if (node.kind != YamlNode.Kind.MAP) {
                throw fail(node, field, "expected a mapping, not " + node.describe());
            }
        }

        private List<YamlNode> list(YamlNode node, String field) {
            if (node.kind != YamlNode.Kind.LIST) {
                throw fail(node, field, "expected a list, not " + node.describe());
            }
            return node.items;
        }

        private ExperimentFormatException fail(YamlNode at, String field, String problem) {
            return ExperimentFormatException.at(file, at.mark, field, problem);
        }
    }
}
