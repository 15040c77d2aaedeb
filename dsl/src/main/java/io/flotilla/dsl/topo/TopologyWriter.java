package io.flotilla.dsl.topo;

import io.flotilla.dsl.topo.model.TopoCache;
import io.flotilla.dsl.topo.model.TopoCore;
import io.flotilla.dsl.topo.model.TopoLink;
import io.flotilla.dsl.topo.model.TopoMeasured;
import io.flotilla.dsl.topo.model.TopoNuma;
import io.flotilla.dsl.topo.model.TopoPackage;
import io.flotilla.dsl.topo.model.Topology;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link Topology} back as {@code .topo} text that {@link TopologyLanguage} reads into an equal model
 * (used by {@code flotilla topology discover}). Packages are written one by one, with core lists as ranges; the
 * compact {@code for} forms are for people and are not reconstructed.
 */
public final class TopologyWriter {

    private TopologyWriter() {}

    public static String write(Topology t) {
        var out = new StringBuilder();
        out.append("machine \"").append(t.name()).append("\" {\n");
        out.append("    clock ").append(decimal(t.clockGhz())).append(" GHz\n");
        if (t.remoteLatency() != 0) {
            out.append("    remote latency ").append(t.remoteLatency()).append('\n');
        }
        out.append('\n');
        for (TopoNuma n : t.numaNodes()) {
            out.append("    numa ").append(n.id()).append(" memory ").append(size(n.memoryBytes())).append('\n');
        }
        Map<Integer, List<TopoCore>> byPackage = new TreeMap<>();
        for (TopoCore c : t.cores()) {
            byPackage.computeIfAbsent(c.packageId(), k -> new ArrayList<>()).add(c);
        }
        Map<Integer, List<TopoCache>> cachesByPackage = new TreeMap<>();
        Map<Integer, Integer> packageOfCore = new LinkedHashMap<>();
        t.cores().forEach(c -> packageOfCore.put(c.id(), c.packageId()));
        for (TopoCache c : t.caches()) {
            cachesByPackage.computeIfAbsent(packageOfCore.get(c.cores().get(0)), k -> new ArrayList<>()).add(c);
        }
        for (TopoPackage p : t.packages()) {
            out.append('\n');
            writePackage(out, p, byPackage.getOrDefault(p.id(), List.of()),
                    cachesByPackage.getOrDefault(p.id(), List.of()));
        }
        if (!t.links().isEmpty()) {
            out.append('\n');
        }
        for (TopoLink l : t.links()) {
            out.append("    link ").append(l.a()).append(" -- ").append(l.b()).append(" latency ").append(l.latency());
            if (l.bandwidthGBps() > 0) {
                out.append(" bandwidth ").append(decimal(l.bandwidthGBps())).append(" GB/s");
            }
            out.append('\n');
        }
        if (!t.measured().isEmpty() || !t.costs().isEmpty()) {
            out.append('\n');
        }
        t.costs().forEach((cost, cycles) ->
                out.append("    measured ").append(cost.keyword()).append(' ').append(cycles).append('\n'));
        for (TopoMeasured m : t.measured()) {
            out.append("    measured ").append(m.a()).append(" -- ").append(m.b()).append(" latency ")
                    .append(m.latency()).append('\n');
        }
        return out.append("}\n").toString();
    }

    private static void writePackage(StringBuilder out, TopoPackage p, List<TopoCore> cores, List<TopoCache> caches) {
        out.append("    package ").append(p.id()).append(" {\n");
        // Physical cores, in order; each a list of its hardware threads.
        Map<Integer, List<TopoCore>> physical = new TreeMap<>();
        cores.forEach(c -> physical.computeIfAbsent(c.physicalCore(), k -> new ArrayList<>()).add(c));
        Map<Integer, List<Integer>> byNuma = new TreeMap<>();
        cores.forEach(c -> byNuma.computeIfAbsent(c.numaNode(), k -> new ArrayList<>()).add(c.id()));
        boolean oneNuma = byNuma.size() == 1;
        if (oneNuma) {
            out.append("        numa ").append(byNuma.keySet().iterator().next()).append('\n');
        }
        int width = physical.values().iterator().next().size();
        boolean regular = physical.values().stream().allMatch(g -> g.size() == width && consecutive(g));
        // Cores are listed per NUMA node (one list when the package has one node); SMT siblings that are not
        // consecutive ids (Linux numbers the second threads after all first threads) get 'siblings' lines.
        for (Map.Entry<Integer, List<Integer>> node : byNuma.entrySet()) {
            List<Integer> ids = new ArrayList<>();
            if (regular) {
                physical.values().stream().filter(g -> g.get(0).numaNode() == node.getKey())
                        .forEach(g -> g.forEach(c -> ids.add(c.id())));
            } else {
                ids.addAll(node.getValue());
            }
            out.append("        cores ").append(ranges(ids));
            if (regular && width > 1) {
                out.append(" smt ").append(width);
            }
            if (!oneNuma) {
                out.append(" in numa ").append(node.getKey());
            }
            out.append('\n');
        }
        if (!regular) {
            for (List<TopoCore> g : physical.values()) {
                if (g.size() > 1) {
                    out.append("        siblings ").append(ranges(g.stream().map(TopoCore::id).toList())).append('\n');
                }
            }
        }
        writeCaches(out, caches, physical.size(), cores.size());
        out.append("        local latency ").append(p.localLatency()).append('\n');
        out.append("    }\n");
    }

    /** Caches of one package, grouped by kind: 'private' or 'shared' where that says it, else one per instance. */
    private static void writeCaches(StringBuilder out, List<TopoCache> caches, int physicalCores, int cores) {
        Map<String, List<TopoCache>> kinds = new LinkedHashMap<>();
        for (TopoCache c : caches) {
            String kind = c.name() + " " + size(c.sizeBytes()) + " line " + c.lineBytes()
                    + (c.associativity() > 0 ? " assoc " + c.associativity() : "");
            kinds.computeIfAbsent(kind + "|" + c.latency(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<TopoCache>> e : kinds.entrySet()) {
            String[] parts = e.getKey().split("\\|");
            List<TopoCache> instances = e.getValue();
            String latency = " latency " + parts[1];
            int covered = instances.stream().mapToInt(c -> c.cores().size()).sum();
            if (instances.size() == 1 && instances.get(0).cores().size() == cores) {
                out.append("        cache ").append(parts[0]).append(" shared").append(latency).append('\n');
            } else if (instances.size() == physicalCores && covered == cores && physicalCores > 0
                    && cores % physicalCores == 0 && instances.stream().allMatch(c -> c.cores().size()
                            == cores / physicalCores)) {
                out.append("        cache ").append(parts[0]).append(" private").append(latency).append('\n');
            } else {
                for (TopoCache c : instances) {
                    out.append("        cache ").append(parts[0]).append(" shared by ").append(ranges(c.cores()))
                            .append(latency).append('\n');
                }
            }
        }
    }

    private static boolean consecutive(List<TopoCore> group) {
        for (int i = 1; i < group.size(); i++) {
            if (group.get(i).id() != group.get(0).id() + i) {
                return false;
            }
        }
        return true;
    }

    /**
     * "0..3, 8..11, 13": ascending ids written as the language's compact ranges. Host discovery writes its output
     * with this too.
     *
     * @param ids ascending, without duplicates
     */
    public static String ranges(List<Integer> ids) {
        var out = new StringBuilder();
        for (int i = 0; i < ids.size(); ) {
            int j = i;
            while (j + 1 < ids.size() && ids.get(j + 1) == ids.get(j) + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(ids.get(i));
            if (j > i) {
                out.append("..").append(ids.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }

    /** The largest binary unit that states the size exactly. */
    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }

    /** A number as the language reads it: "2" or "2.66", never "2.0E9". */
    static String decimal(double v) {
        String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s;
    }
}
