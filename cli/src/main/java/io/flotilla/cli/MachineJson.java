package io.flotilla.cli;

import io.flotilla.machine.Core;
import io.flotilla.machine.CpuPackage;
import io.flotilla.machine.Link;
import io.flotilla.machine.Machine;
import java.util.StringJoiner;

/**
 * The JSON form of {@code flotilla topology show --json}:
 *
 * <pre>
 * {"name": ..., "clock_ghz": ..., "cores": [{"id", "package", "numa", "smt"}], "packages": [{"id", "cores"}],
 *  "links": [{"a", "b", "latency_cycles"}], "hops": [[...]]}
 * </pre>
 *
 * {@code smt} is the core's hardware-thread index within its physical core (0 without SMT); {@code hops} is the
 * package-by-package hop matrix (a core-by-core one would have a million entries on a 1024-core machine; the hops
 * of two cores are those of their packages).
 */
final class MachineJson {

    private MachineJson() {}

    static String write(Machine m) {
        var out = new StringBuilder("{\"name\":").append(string(m.name()));
        out.append(",\"clock_ghz\":").append(TopologyCommand.decimal(m.clockGhz()));
        var cores = new StringJoiner(",", "[", "]");
        for (Core c : m.cores()) {
            cores.add("{\"id\":" + c.id() + ",\"package\":" + c.packageId() + ",\"numa\":" + c.numaNode()
                    + ",\"smt\":" + c.thread() + "}");
        }
        out.append(",\"cores\":").append(cores);
        var packages = new StringJoiner(",", "[", "]");
        for (CpuPackage p : m.packages()) {
            packages.add("{\"id\":" + p.id() + ",\"cores\":" + ints(p.cores()) + "}");
        }
        out.append(",\"packages\":").append(packages);
        var links = new StringJoiner(",", "[", "]");
        for (Link l : m.links()) {
            links.add("{\"a\":" + l.a() + ",\"b\":" + l.b() + ",\"latency_cycles\":" + l.latencyCycles() + "}");
        }
        out.append(",\"links\":").append(links);
        var hops = new StringJoiner(",", "[", "]");
        for (int a = 0; a < m.packages().size(); a++) {
            var row = new StringJoiner(",", "[", "]");
            for (int b = 0; b < m.packages().size(); b++) {
                row.add(String.valueOf(m.packageHops(a, b)));
            }
            hops.add(row.toString());
        }
        return out.append(",\"hops\":").append(hops).append("}\n").toString();
    }

    private static String ints(java.util.List<Integer> values) {
        var j = new StringJoiner(",", "[", "]");
        values.forEach(v -> j.add(String.valueOf(v)));
        return j.toString();
    }

    private static String string(String s) {
        var out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
