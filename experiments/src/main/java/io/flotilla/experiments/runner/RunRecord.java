package io.flotilla.experiments.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one experiment was run into a directory ({@code NAME.run.properties} beside {@code NAME.csv}): platform,
 * seed, quick or not, repetitions, the command line, the points skipped. Written as sorted {@code key=value} lines
 * with no time stamp, so the same run gives the same file.
 */
record RunRecord(String name, String platform, long seed, boolean quick, int repetitions, String command,
        List<String> skipped) {

    static final String SUFFIX = ".run.properties";

    RunRecord {
        skipped = List.copyOf(skipped);
    }

    void write(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        m.put("name", name);
        m.put("platform", platform);
        m.put("seed", Long.toString(seed));
        m.put("quick", Boolean.toString(quick));
        m.put("repetitions", Integer.toString(repetitions));
        m.put("command", command);
        m.put("skipped", String.join(" | ", skipped));
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
        String fileName = file.getFileName().toString();
        String name = m.getOrDefault("name", fileName.substring(0, fileName.length() - SUFFIX.length()));
        return new RunRecord(name, m.getOrDefault("platform", "?"), Long.parseLong(m.getOrDefault("seed", "0")),
                Boolean.parseBoolean(m.get("quick")), Integer.parseInt(m.getOrDefault("repetitions", "1")),
                m.getOrDefault("command", ""), list);
    }
}
