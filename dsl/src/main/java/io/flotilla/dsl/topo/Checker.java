package io.flotilla.dsl.topo;

import io.flotilla.dsl.source.SourcePos;
import io.flotilla.dsl.topo.model.TopoCache;
import io.flotilla.dsl.topo.model.TopoCore;
import io.flotilla.dsl.topo.model.TopoLink;
import io.flotilla.dsl.topo.model.TopoMeasured;
import io.flotilla.dsl.topo.model.TopoNuma;
import io.flotilla.dsl.topo.model.TopoPackage;
import io.flotilla.dsl.topo.model.Topology;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a machine as a whole (dense ids, references between parts, connectivity, cache sharing) and builds the
 * expanded {@link Topology}. Runs after {@link Evaluator}, so declarations may come in any order in the file.
 */
final class Checker {

    /** Latencies (cycles) where the file gives none; rough, of the order of the paper's Table 2. */
    static final long DEFAULT_LOCAL_LATENCY = 500;

    static long defaultCacheLatency(int level) {
        return switch (level) {
            case 1 -> 100;
            case 2 -> 180;
            default -> 450;
        };
    }

    private final MachineDraft d;
    private final TopoDiagnostics diagnostics;

    Checker(MachineDraft draft, TopoDiagnostics diagnostics) {
        this.d = draft;
        this.diagnostics = diagnostics;
    }

    Optional<Topology> check() {
        if (!d.clockSeen) {
            diagnostics.error(d.pos, "machine '" + d.name + "' has no clock: add e.g. 'clock 2.0 GHz'");
        }
        if (d.packages.isEmpty()) {
            diagnostics.error(d.pos, "machine '" + d.name + "' has no packages: add 'package 0 { cores 0..3 ... }'");
            return Optional.empty();
        }
        dense(d.packages.keySet(), "package");
        dense(d.cores.keySet(), "core");
        dense(d.numa.keySet(), "NUMA node");

        List<TopoCore> cores = new ArrayList<>();
        List<TopoCache> caches = new ArrayList<>();
        List<TopoPackage> packages = new ArrayList<>();
        for (MachineDraft.Pkg pkg : sortedPackages()) {
            packages.add(new TopoPackage(pkg.id, pkg.localLatency != null ? pkg.localLatency : DEFAULT_LOCAL_LATENCY,
                    pkg.pos));
            packageCores(pkg, cores);
            packageCaches(pkg, caches);
        }
        List<TopoLink> links = links();
        connected(links);
        List<TopoMeasured> measured = measured();
        if (diagnostics.hasErrors()) {
            return Optional.empty();
        }
        cores.sort(Comparator.comparingInt(TopoCore::id));
        List<TopoNuma> numa = new ArrayList<>(d.numa.values());
        numa.sort(Comparator.comparingInt(TopoNuma::id));
        return Optional.of(new Topology(d.name, d.clockGhz, d.remoteLatency, packages, numa, cores, caches, links,
                measured, d.costs, d.pos));
    }

    private List<MachineDraft.Pkg> sortedPackages() {
        List<MachineDraft.Pkg> out = new ArrayList<>(d.packages.values());
        out.sort(Comparator.comparingInt(p -> p.id));
        return out;
    }

    /** Ids must be 0..N-1: the runtime indexes arrays by them, and Barrelfish numbers cores the same way. */
    private void dense(Set<Integer> ids, String what) {
        if (ids.isEmpty()) {
            return; // reported where something needs one
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!ids.contains(i)) {
                int max = ids.stream().mapToInt(Integer::intValue).max().orElse(0);
                diagnostics.error(d.pos, what + " ids must be 0.." + (ids.size() - 1) + " without gaps, but " + what
                        + " " + i + " is missing (the largest is " + max + ")");
                return;
            }
        }
    }

    private void packageCores(MachineDraft.Pkg pkg, List<TopoCore> out) {
        if (pkg.cores.isEmpty()) {
            if (pkg.coresSeen) {
                return; // its 'cores' item was wrong and has been reported
            }
            diagnostics.error(pkg.pos, "package " + pkg.id + " has no cores: add 'cores LIST'", pkg.context);
            return;
        }
        if (pkg.numa != null && !d.numa.containsKey(pkg.numa)) {
            diagnostics.error(pkg.numaPos, undeclaredNuma(pkg.numa), pkg.context);
        }
        List<List<Integer>> groups = new ArrayList<>(pkg.groups);
        groups.sort(Comparator.comparingInt(g -> g.stream().mapToInt(Integer::intValue).min().orElse(0)));
        for (int physical = 0; physical < groups.size(); physical++) {
            List<Integer> group = groups.get(physical);
            for (int thread = 0; thread < group.size(); thread++) {
                MachineDraft.CoreDraft core = d.cores.get(group.get(thread));
                Integer numa = core.numa() != null ? core.numa() : pkg.numa;
                if (numa == null) {
                    diagnostics.error(pkg.pos, "package " + pkg.id + " has no NUMA node: add 'numa N memory SIZE'", pkg.context);
                    return;
                }
                if (core.numa() != null && !d.numa.containsKey(numa)) {
                    diagnostics.error(core.pos(), undeclaredNuma(numa), pkg.context);
                    return;
                }
                out.add(new TopoCore(core.id(), pkg.id, numa, physical, thread, core.pos()));
            }
        }
    }

    private static String undeclaredNuma(int id) {
        return "NUMA node " + id + " is not declared: add 'numa " + id + " memory SIZE'";
    }

    private void packageCaches(MachineDraft.Pkg pkg, List<TopoCache> out) {
        List<List<Integer>> groups = new ArrayList<>(pkg.groups);
        groups.sort(Comparator.comparingInt(g -> g.stream().mapToInt(Integer::intValue).min().orElse(0)));
        for (MachineDraft.CacheDraft c : pkg.caches) {
            List<List<Integer>> instances = new ArrayList<>();
            switch (c.sharing) {
                case PRIVATE -> instances.addAll(groups);
                case SHARED -> instances.add(pkg.cores);
                case LIST -> {
                    for (int core : c.sharedBy) {
                        if (!pkg.cores.contains(core)) {
                            diagnostics.error(c.sharingPos, "cache " + c.name + " is shared by core " + core
                                    + ", which is not a core of package " + pkg.id, c.context);
                            break;
                        }
                    }
                    instances.add(c.sharedBy);
                }
                case PER -> {
                    if (groups.size() % c.per != 0) {
                        diagnostics.error(c.sharingPos, "cache " + c.name + " is shared 'per " + c.per
                                + "' physical cores, but package " + pkg.id + " has " + groups.size(), c.context);
                        continue;
                    }
                    for (int i = 0; i < groups.size(); i += c.per) {
                        List<Integer> cores = new ArrayList<>();
                        groups.subList(i, i + c.per).forEach(cores::addAll);
                        instances.add(cores);
                    }
                }
                default -> throw new IllegalStateException();
            }
            long latency = c.latency != null ? c.latency : defaultCacheLatency(c.level);
            for (List<Integer> cores : instances) {
                List<Integer> sorted = new ArrayList<>(new HashSet<>(cores));
                sorted.sort(null);
                out.add(new TopoCache(c.name, c.level, c.type, c.size, c.line, c.assoc, latency, sorted, c.pos));
            }
        }
    }

    private List<TopoLink> links() {
        Map<Long, TopoLink> seen = new HashMap<>();
        List<TopoLink> out = new ArrayList<>();
        for (int i = 0; i < d.links.size(); i++) {
            TopoLink l = d.links.get(i);
            String context = d.linkContexts.get(i);
            boolean ok = true;
            for (int p : new int[] {l.a(), l.b()}) {
                if (!d.packages.containsKey(p)) {
                    diagnostics.error(l.pos(), "link to undeclared package " + p, context);
                    ok = false;
                }
            }
            if (ok && l.a() == l.b()) {
                diagnostics.error(l.pos(), "a link joins two different packages, not package " + l.a()
                        + " to itself", context);
                ok = false;
            }
            long key = (long) Math.min(l.a(), l.b()) << 32 | Math.max(l.a(), l.b());
            TopoLink before = seen.putIfAbsent(key, l);
            if (ok && before != null) {
                diagnostics.error(l.pos(), "link " + l.a() + " -- " + l.b() + " is already declared at "
                        + before.pos(), context);
                ok = false;
            }
            if (ok) {
                out.add(l);
            }
        }
        return out;
    }

    /** Every package must be reachable from package 0, or nothing could route between them. */
    private void connected(List<TopoLink> links) {
        int n = d.packages.size();
        if (n < 2 || diagnostics.hasErrors()) {
            return;
        }
        List<List<Integer>> adjacent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            adjacent.add(new ArrayList<>());
        }
        for (TopoLink l : links) {
            adjacent.get(l.a()).add(l.b());
            adjacent.get(l.b()).add(l.a());
        }
        boolean[] reached = new boolean[n];
        var queue = new ArrayDeque<Integer>();
        reached[0] = true;
        queue.add(0);
        while (!queue.isEmpty()) {
            for (int next : adjacent.get(queue.poll())) {
                if (!reached[next]) {
                    reached[next] = true;
                    queue.add(next);
                }
            }
        }
        List<Integer> cut = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!reached[i]) {
                cut.add(i);
            }
        }
        if (!cut.isEmpty()) {
            MachineDraft.Pkg first = d.packages.get(cut.get(0));
            diagnostics.error(first.pos, "package " + first.id + (cut.size() > 1 ? " (and " + (cut.size() - 1)
                    + " more)" : "") + " cannot be reached from package 0: the packages are disconnected; add a 'link'", first.context);
        }
    }

    private List<TopoMeasured> measured() {
        Map<Long, TopoMeasured> seen = new HashMap<>();
        List<TopoMeasured> out = new ArrayList<>();
        for (int i = 0; i < d.measured.size(); i++) {
            TopoMeasured m = d.measured.get(i);
            String context = d.measuredContexts.get(i);
            SourcePos at = m.pos();
            if (!d.cores.containsKey(m.a()) || !d.cores.containsKey(m.b())) {
                diagnostics.error(at, "measured latency of undeclared core "
                        + (d.cores.containsKey(m.a()) ? m.b() : m.a()), context);
                continue;
            }
            if (m.a() == m.b()) {
                diagnostics.error(at, "a measured latency is between two different cores, not core " + m.a()
                        + " and itself", context);
                continue;
            }
            long key = (long) Math.min(m.a(), m.b()) << 32 | Math.max(m.a(), m.b());
            TopoMeasured before = seen.putIfAbsent(key, m);
            if (before != null) {
                diagnostics.error(at, "the latency of " + m.a() + " -- " + m.b() + " is already measured at "
                        + before.pos(), context);
                continue;
            }
            out.add(m);
        }
        return out;
    }
}
