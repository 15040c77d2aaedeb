package io.flotilla.cli;

import io.flotilla.machine.Cache;
import io.flotilla.machine.Core;
import io.flotilla.machine.CpuPackage;
import io.flotilla.machine.HostDiscovery;
import io.flotilla.machine.Link;
import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.machine.Machines;
import io.flotilla.machine.NumaNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla topology}: the machines Flotilla knows, one machine in detail, and the host as .topo text. */
@Command(
        name = "topology",
        mixinStandardHelpOptions = true,
        description = "Machines: list the known ones, show one, or discover the host.",
        subcommands = {TopologyCommand.ListMachines.class, TopologyCommand.Show.class, TopologyCommand.Discover.class})
final class TopologyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Loads a machine by name or file; a failure is printed and becomes exit status 1. */
    static Machine load(String nameOrPath, PrintWriter err) {
        return Machines.load(nameOrPath, w -> err.println("flotilla: warning: " + w));
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the machines known by name: the shipped ones and 'host'.")
    static final class ListMachines implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (String name : Machines.list()) {
                try {
                    Machine m = Machines.load(name);
                    out.printf("%-10s %5d cores %4d packages %4d NUMA nodes  %s GHz%n", name, m.coreCount(),
                            m.packages().size(), m.numaNodes().size(), decimal(m.clockGhz()));
                } catch (MachineLoadException e) {
                    out.printf("%-10s (cannot be loaded: %s)%n", name, e.getMessage());
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Shows a machine: a name from 'flotilla topology list' or a .topo file.",
                "--json prints {name, clock_ghz, cores[{id, package, numa, smt}], packages, links, hops}."})
    static final class Show implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--json", description = "Print JSON instead of text.")
        private boolean json;

        @Parameters(paramLabel = "NAME|FILE", description = "A machine name or a .topo file.")
        private String machine;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Machine m;
            try {
                m = load(machine, err);
            } catch (MachineLoadException e) {
                err.println(e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
            out.print(json ? MachineJson.write(m) : describe(m));
            out.flush();
            return 0;
        }
    }

    @Command(name = "discover", mixinStandardHelpOptions = true,
            description = "Prints the running machine in the topology language (what could not be seen is "
                    + "assumed, with a warning).")
    static final class Discover implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            HostDiscovery.Discovered host = HostDiscovery.discoverHost();
            host.warnings().forEach(w -> spec.commandLine().getErr().println("flotilla: warning: " + w));
            spec.commandLine().getOut().print(host.topology());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** The text form of 'show'. */
    static String describe(Machine m) {
        var out = new StringBuilder();
        out.append("machine ").append(m.name()).append(": ").append(m.coreCount()).append(" cores, ")
                .append(m.packages().size()).append(" packages, ").append(m.numaNodes().size())
                .append(" NUMA nodes, ").append(decimal(m.clockGhz())).append(" GHz\n");
        for (CpuPackage p : m.packages()) {
            Core first = m.core(p.cores().get(0));
            long physical = p.cores().stream().map(c -> m.core(c).physicalCore()).distinct().count();
            out.append("  package ").append(p.id()).append(": cores ").append(ranges(p.cores()));
            if (physical != p.cores().size()) {
                out.append(" (").append(physical).append(" physical cores)");
            }
            out.append(", NUMA ").append(p.cores().stream().map(c -> m.core(c).numaNode()).distinct()
                    .map(String::valueOf).collect(Collectors.joining(", ")));
            out.append(", caches ").append(cacheSummary(m, first.id())).append('\n');
        }
        for (NumaNode n : m.numaNodes()) {
            out.append("  numa ").append(n.id()).append(": ").append(bytes(n.memoryBytes())).append(", cores ")
                    .append(n.cores().isEmpty() ? "none" : ranges(n.cores())).append('\n');
        }
        for (Link l : m.links()) {
            out.append("  link ").append(l.a()).append(" -- ").append(l.b()).append(": ").append(l.latencyCycles())
                    .append(" cycles");
            if (l.bandwidthGBps() > 0) {
                out.append(", ").append(decimal(l.bandwidthGBps())).append(" GB/s");
            }
            out.append('\n');
        }
        if (!m.costs().isEmpty()) {
            // What the simulator takes instead of its calibrated defaults (a host's twin states them all).
            out.append("  measured costs: ").append(m.costs().entrySet().stream()
                    .map(e -> e.getKey().keyword() + " " + e.getValue()).collect(Collectors.joining(", ")))
                    .append(" cycles\n");
        }
        if (m.packages().size() > 1 && m.packages().size() <= 16) {
            out.append("  hops between packages:\n");
            for (int a = 0; a < m.packages().size(); a++) {
                out.append("   ");
                for (int b = 0; b < m.packages().size(); b++) {
                    out.append(' ').append(m.packageHops(a, b));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String cacheSummary(Machine m, int core) {
        List<String> parts = new ArrayList<>();
        for (Cache c : m.cachesOf(core)) {
            parts.add(c.name() + " " + bytes(c.sizeBytes()) + (c.cores().size() > 1 ? " shared by "
                    + c.cores().size() : ""));
        }
        return parts.isEmpty() ? "unknown" : String.join(", ", parts);
    }

    static String ranges(List<Integer> ids) {
        Map<Integer, Integer> runs = new LinkedHashMap<>();
        int start = -1;
        int prev = -2;
        for (int id : ids) {
            if (id != prev + 1) {
                start = id;
            }
            runs.put(start, id);
            prev = id;
        }
        return runs.entrySet().stream().map(e -> e.getKey().equals(e.getValue()) ? "" + e.getKey()
                : e.getKey() + ".." + e.getValue()).collect(Collectors.joining(", "));
    }

    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = b;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return decimal(Math.round(v * 10) / 10.0) + " " + units[u];
    }

    static String decimal(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
