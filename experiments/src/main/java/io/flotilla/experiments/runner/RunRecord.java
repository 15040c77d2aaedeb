package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How one experiment was run into a directory ({@code NAME.run.properties} beside {@code NAME.csv}): platform,
 * seed, quick or not, repetitions, the command line, the points skipped, which shard it was (only when sharded),
 * why it stopped early (only when it did), and its {@link Provenance}. Written as sorted {@code key=value} lines
 * with no time stamp, so the same run on the same build and host gives the same file.
 *
 * @param shard {@code K/N} for one shard's share, empty for a whole (or merged) run
 * @param incomplete why the run stopped before its last point, empty when it finished
 * @param provenance what produced it: build, plugins, JVM, host ({@link Provenance#keys})
 */
record RunRecord(String name, String platform, long seed, boolean quick, int repetitions, String command,
        List<String> skipped, String shard, String incomplete, Map<String, String> provenance) {

    static final String SUFFIX = ".run.properties";

    private static final Set<String> OWN = Set.of("name", "platform", "seed", "quick", "repetitions", "command",
            "skipped", "shard", "incomplete");

    RunRecord {
        skipped = List.copyOf(skipped);
        provenance = Map.copyOf(provenance);
    }

    /** The same record with {@code reason} as why it stopped. */
    RunRecord stoppedBy(String reason) {
        return new RunRecord(name, platform, seed, quick, repetitions, command, skipped, shard, reason, provenance);
    }

    void write(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>(provenance);
        m.put("name", name);
        m.put("platform", platform);
        m.put("seed", Long.toString(seed));
        m.put("quick", Boolean.toString(quick));
        m.put("repetitions", Integer.toString(repetitions));
        m.put("command", command);
        m.put("skipped", String.join(" | ", skipped));
        if (!shard.isEmpty()) {
            m.put("shard", shard);
        }
        if (!incomplete.isEmpty()) {
            m.put("incomplete", incomplete);
        }
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\n", " ")).append('\n'));
        Files.writeString(dir.resolve(name + SUFFIX), sb);
    }

    static RunRecord read(Path file) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String skipped = m.getOrDefault("skipped", "");
        List<String> list = new ArrayList<>();
        if (!skipped.isEmpty()) {
            list.addAll(List.of(skipped.split(" \\| ")));
        }
        Map<String, String> provenance = new TreeMap<>(m);
        provenance.keySet().removeAll(OWN);
        String fileName = file.getFileName().toString();
        String name = m.getOrDefault("name", fileName.substring(0, fileName.length() - SUFFIX.length()));
        try {
            return new RunRecord(name, m.getOrDefault("platform", "?"), Long.parseLong(m.getOrDefault("seed", "0")),
                    Boolean.parseBoolean(m.get("quick")), Integer.parseInt(m.getOrDefault("repetitions", "1")),
                    m.getOrDefault("command", ""), list, m.getOrDefault("shard", ""), m.getOrDefault("incomplete", ""),
                    provenance);
        } catch (NumberFormatException e) {
            throw new ExperimentFormatException(file + ": seed or repetitions is not a number (" + e.getMessage()
                    + ")");
        }
    }
}
