package io.flotilla.machine;

import io.flotilla.dsl.topo.TopologyWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Discovers the running machine from Linux's {@code /sys} and writes it in the topology language, so the host is
 * loaded through the same front end as every other machine (and {@code flotilla topology discover} prints text
 * that parses back by construction).
 *
 * <p>Whatever the host hides becomes a valid default and a warning, never a failure: a virtual machine without
 * cache or NUMA information gets one NUMA node and no caches; without {@code /sys} at all (another OS) the host is
 * one package of {@link Runtime#availableProcessors()} cores. The interconnect is not visible in {@code /sys}, so
 * packages are joined all to all with a nominal latency.
 */
public final class HostDiscovery {

    /** Latency (cycles) given to links between packages, which /sys does not describe. */
    static final long NOMINAL_LINK_LATENCY = 100;

    /** What was discovered: the topology text and what had to be assumed. */
    public record Discovered(String topology, List<String> warnings) {
        public Discovered {
            warnings = List.copyOf(warnings);
        }
    }

    private final Path sys;
    private final Path proc;
    private final List<String> warnings = new ArrayList<>();

    /** @param root "/" on a real host; a directory with a fake sys/ and proc/ in tests */
    public HostDiscovery(Path root) {
        this.sys = root.resolve("sys/devices/system");
        this.proc = root.resolve("proc");
    }

    /** The running machine. */
    public static Discovered discoverHost() {
        return new HostDiscovery(Path.of("/")).discover();
    }

    private record Cpu(int linuxId, int packageKey, int coreKey, String siblings) {}

    private record CacheInfo(String name, long size, int line, int ways, String shared) {}

    public Discovered discover() {
        List<Cpu> cpus = cpus();
        // Dense package ids in order of the hardware's package ids; dense core ids in Linux's order.
        Map<Integer, Integer> packageIds = new TreeMap<>();
        cpus.forEach(c -> packageIds.putIfAbsent(c.packageKey(), 0));
        int next = 0;
        for (Map.Entry<Integer, Integer> e : packageIds.entrySet()) {
            e.setValue(next++);
        }
        Map<Integer, Integer> coreIds = new LinkedHashMap<>();
        for (Cpu c : cpus) {
            coreIds.put(c.linuxId(), coreIds.size());
        }
        if (cpus.get(cpus.size() - 1).linuxId() != cpus.size() - 1) {
            warnings.add("host CPU ids are not 0.." + (cpus.size() - 1) + " (some are offline): cores are renumbered");
        }
        Map<Integer, Integer> numaOf = numa(coreIds);
        var out = new StringBuilder();
        out.append("machine \"host\" {\n");
        out.append("    clock ").append(clockGhz()).append(" GHz\n\n");
        for (Map.Entry<Integer, Long> n : numaMemory.entrySet()) {
            out.append("    numa ").append(n.getKey()).append(" memory ").append(size(n.getValue())).append('\n');
        }
        boolean anyCache = false;
        for (Map.Entry<Integer, Integer> pkg : packageIds.entrySet()) {
            out.append("\n    package ").append(pkg.getValue()).append(" {\n");
            List<Cpu> mine = cpus.stream().filter(c -> c.packageKey() == pkg.getKey()).toList();
            Map<Integer, List<Integer>> byNuma = new TreeMap<>();
            for (Cpu c : mine) {
                byNuma.computeIfAbsent(numaOf.get(c.linuxId()), k -> new ArrayList<>()).add(coreIds.get(c.linuxId()));
            }
            for (Map.Entry<Integer, List<Integer>> n : byNuma.entrySet()) {
                out.append("        cores ").append(ranges(n.getValue())).append(" in numa ").append(n.getKey())
                        .append('\n');
            }
            // Hardware threads of one physical core: same core key within the package.
            Map<Integer, List<Integer>> physical = new TreeMap<>();
            for (Cpu c : mine) {
                physical.computeIfAbsent(c.coreKey(), k -> new ArrayList<>()).add(coreIds.get(c.linuxId()));
            }
            for (List<Integer> threads : physical.values()) {
                if (threads.size() > 1) {
                    out.append("        siblings ").append(ranges(threads)).append('\n');
                }
            }
            Set<String> written = new LinkedHashSet<>();
            for (Cpu c : mine) {
                for (CacheInfo cache : caches(c.linuxId())) {
                    List<Integer> sharers = new ArrayList<>();
                    for (int linux : CpuList.parse(cache.shared())) {
                        Integer id = coreIds.get(linux);
                        if (id != null && mine.stream().anyMatch(m -> m.linuxId() == linux)) {
                            sharers.add(id);
                        }
                    }
                    if (sharers.isEmpty()) {
                        sharers.add(coreIds.get(c.linuxId()));
                    }
                    sharers.sort(null);
                    String line = "        cache " + cache.name() + " " + size(cache.size()) + " line " + cache.line()
                            + (cache.ways() > 0 ? " assoc " + cache.ways() : "") + " shared by " + ranges(sharers);
                    if (written.add(line)) {
                        out.append(line).append('\n');
                        anyCache = true;
                    }
                }
            }
            out.append("    }\n");
        }
        if (!anyCache) {
            warnings.add("the host hides its caches (a virtual machine?): no caches described");
        }
        if (packageIds.size() > 1) {
            warnings.add("/sys does not describe the interconnect: packages linked all to all with latency "
                    + NOMINAL_LINK_LATENCY);
            out.append('\n');
            for (int a = 0; a < packageIds.size(); a++) {
                for (int b = a + 1; b < packageIds.size(); b++) {
                    out.append("    link ").append(a).append(" -- ").append(b).append(" latency ")
                            .append(NOMINAL_LINK_LATENCY).append('\n');
                }
            }
        }
        out.append("}\n");
        var header = new StringBuilder("// The host, discovered from /sys").append(warnings.isEmpty() ? ".\n" : "; assumed:\n");
        warnings.forEach(w -> header.append("//   ").append(w).append('\n'));
        out.insert(0, header);
        return new Discovered(out.toString(), warnings);
    }

    // ---- CPUs -------------------------------------------------------------------------------------------------

    private List<Cpu> cpus() {
        List<Integer> online = read(sys.resolve("cpu/online")).map(CpuList::parse).orElse(List.of());
        if (online.isEmpty()) {
            int n = Runtime.getRuntime().availableProcessors();
            warnings.add("no CPU list in /sys: assuming one package of " + n + " cores (availableProcessors)");
            online = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                online.add(i);
            }
        }
        List<Cpu> out = new ArrayList<>();
        boolean guessed = false;
        for (int id : online) {
            Path topo = sys.resolve("cpu/cpu" + id + "/topology");
            Optional<Integer> pkg = readInt(topo.resolve("physical_package_id"));
            Optional<Integer> core = readInt(topo.resolve("core_id"));
            guessed |= pkg.isEmpty() || core.isEmpty();
            out.add(new Cpu(id, Math.max(0, pkg.orElse(0)), core.orElse(id), ""));
        }
        if (guessed) {
            warnings.add("no package or core ids in /sys for some CPUs: they are taken as package 0, without SMT");
        }
        return out;
    }

    private double clockGhz() {
        Optional<Integer> khz = readInt(sys.resolve("cpu/cpu0/cpufreq/cpuinfo_max_freq"));
        if (khz.isPresent() && khz.get() > 0) {
            return round(khz.get() / 1e6);
        }
        Optional<String> cpuinfo = read(proc.resolve("cpuinfo"));
        if (cpuinfo.isPresent()) {
            Matcher m = Pattern.compile("cpu MHz\\s*:\\s*([0-9.]+)").matcher(cpuinfo.get());
            if (m.find()) {
                double ghz = round(Double.parseDouble(m.group(1)) / 1000);
                if (ghz > 0) {
                    return ghz;
                }
            }
        }
        warnings.add("the host does not say its clock rate: assuming 1 GHz");
        return 1;
    }

    private static double round(double ghz) {
        return Math.round(ghz * 1000) / 1000.0;
    }

    // ---- NUMA -------------------------------------------------------------------------------------------------

    private final Map<Integer, Long> numaMemory = new TreeMap<>();

    /** Core's Linux id to dense NUMA node id; fills {@link #numaMemory}. */
    private Map<Integer, Integer> numa(Map<Integer, Integer> coreIds) {
        Map<Integer, Integer> numaOf = new LinkedHashMap<>();
        List<Integer> nodes = read(sys.resolve("node/online")).map(CpuList::parse).orElse(List.of());
        for (int node : nodes) {
            Path dir = sys.resolve("node/node" + node);
            List<Integer> cpus = read(dir.resolve("cpulist")).map(CpuList::parse).orElse(List.of());
            long memory = read(dir.resolve("meminfo")).flatMap(HostDiscovery::memTotal).orElse(0L);
            if (cpus.stream().noneMatch(coreIds::containsKey) && memory == 0) {
                continue;
            }
            int dense = numaMemory.size();
            numaMemory.put(dense, memory);
            for (int cpu : cpus) {
                if (coreIds.containsKey(cpu)) {
                    numaOf.putIfAbsent(cpu, dense);
                }
            }
        }
        if (numaMemory.isEmpty()) {
            warnings.add("the host hides its NUMA nodes: one node holding all memory");
            numaMemory.put(0, read(proc.resolve("meminfo")).flatMap(HostDiscovery::memTotal).orElse(0L));
        }
        for (int cpu : coreIds.keySet()) {
            if (!numaOf.containsKey(cpu)) {
                numaOf.put(cpu, 0);
            }
        }
        return numaOf;
    }

    private static Optional<Long> memTotal(String meminfo) {
        Matcher m = Pattern.compile("MemTotal:\\s*([0-9]+)\\s*kB").matcher(meminfo);
        return m.find() ? Optional.of(Long.parseLong(m.group(1)) * 1024) : Optional.empty();
    }

    // ---- caches -----------------------------------------------------------------------------------------------

    private List<CacheInfo> caches(int cpu) {
        List<CacheInfo> out = new ArrayList<>();
        for (int index = 0; index < 16; index++) {
            Path dir = sys.resolve("cpu/cpu" + cpu + "/cache/index" + index);
            Optional<Integer> level = readInt(dir.resolve("level"));
            Optional<String> type = read(dir.resolve("type"));
            Optional<Long> size = read(dir.resolve("size")).flatMap(HostDiscovery::cacheSize);
            if (level.isEmpty() || type.isEmpty() || size.isEmpty()) {
                if (!Files.isDirectory(dir)) {
                    break;
                }
                continue;
            }
            if (level.get() < 1 || level.get() > 9 || size.get() <= 0) {
                continue;
            }
            String suffix = switch (type.get()) {
                case "Data" -> "d";
                case "Instruction" -> "i";
                default -> "";
            };
            int line = readInt(dir.resolve("coherency_line_size")).filter(l -> l > 0 && Integer.bitCount(l) == 1
                    && l <= 4096).orElse(64);
            int ways = readInt(dir.resolve("ways_of_associativity")).filter(w -> w > 0 && w <= 65536).orElse(0);
            String shared = read(dir.resolve("shared_cpu_list")).orElse(String.valueOf(cpu));
            out.add(new CacheInfo("L" + level.get() + suffix, size.get(), line, ways, shared));
        }
        return out;
    }

    private static Optional<Long> cacheSize(String text) {
        Matcher m = Pattern.compile("([0-9]+)\\s*([KMG]?)").matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        long v = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "K" -> v << 10;
            case "M" -> v << 20;
            case "G" -> v << 30;
            default -> v;
        });
    }

    // ---- small helpers ----------------------------------------------------------------------------------------

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> readInt(Path p) {
        return read(p).flatMap(s -> {
            try {
                return Optional.of(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The largest binary unit that states the size exactly: "32 KiB", "6383392 KiB". */
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

    /** Ids in the language's compact range form, sorted and without duplicates first. */
    static String ranges(List<Integer> ids) {
        return TopologyWriter.ranges(new ArrayList<>(new TreeSet<>(ids)));
    }
}
