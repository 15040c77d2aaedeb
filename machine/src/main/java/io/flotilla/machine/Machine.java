package io.flotilla.machine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.flotilla.dsl.topo.model.TopoCost;
import java.util.Collections;
import java.util.EnumMap;
import java.util.OptionalLong;

/**
 * An immutable machine: cores, packages, NUMA nodes, caches and interconnect links, with the queries the SKB, the
 * simulator and the transport selector ask all the time answered from tables built once: hop distance and path
 * between packages (breadth-first over the links), the cheapest-latency distance between packages (Dijkstra over
 * link latencies), and each core's caches by level.
 *
 * <p>Ids are dense: cores 0..N-1, packages 0..P-1, NUMA nodes 0..M-1, every list indexed by id.
 *
 * <p><b>Latency model</b> ({@link #latency(int, int)}), in cycles, for one cache-line transfer between two cores:
 * 0 on the same core; a measured value where the topology gives one; else the latency of the closest cache both
 * share; else the package's local latency; else the remote latency plus the link latencies along the cheapest
 * path between their packages.
 */
public final class Machine {

    private final String name;
    private final double clockGhz;
    private final long remoteLatency;
    private final List<Core> cores;
    private final List<CpuPackage> packages;
    private final List<NumaNode> numaNodes;
    private final List<Cache> caches;
    private final List<Link> links;
    /** hops[a][b] between packages. */
    private final int[][] hops;
    /** next[a][b]: the neighbour of a on a shortest path to b (a itself when a == b). */
    private final int[][] next;
    /** Cheapest sum of link latencies between packages. */
    private final long[][] linkLatency;
    /** Per core, its caches ordered by level, then size: the first one shared with another core is the closest. */
    private final Cache[][] cachesOf;
    private final Map<Long, Long> measured;
    private final Map<TopoCost, Long> costs;

    /**
     * A machine whose per-message CPU cost is not measured (every shipped machine).
     *
     * @param measured measured latencies by core pair, key {@link #pairKey(int, int)}; symmetric
     * @throws IllegalArgumentException if ids are not dense, references are dangling, or packages are disconnected
     */
    public Machine(String name, double clockGhz, long remoteLatency, List<Core> cores, List<CpuPackage> packages,
            List<NumaNode> numaNodes, List<Cache> caches, List<Link> links, Map<Long, Long> measured) {
        this(name, clockGhz, remoteLatency, cores, packages, numaNodes, caches, links, measured, Map.of());
    }

    /**
     * @param measured         measured latencies by core pair, key {@link #pairKey(int, int)}; symmetric
     * @param costs            the CPU costs measured on this machine ({@link #cost}), none for a cost the simulator
     *                         should take its own default for
     * @throws IllegalArgumentException if ids are not dense, references are dangling, packages are disconnected,
     *                                  or the message CPU cost is negative
     */
    public Machine(String name, double clockGhz, long remoteLatency, List<Core> cores, List<CpuPackage> packages,
            List<NumaNode> numaNodes, List<Cache> caches, List<Link> links, Map<Long, Long> measured,
            Map<TopoCost, Long> costs) {
        costs.forEach((cost, cycles) -> {
            if (cycles < 0) {
                throw new IllegalArgumentException("a measured " + cost.noun() + " cannot be negative: " + cycles);
            }
        });
        this.costs = costs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(costs));
        this.name = name;
        this.clockGhz = clockGhz;
        this.remoteLatency = remoteLatency;
        this.cores = List.copyOf(cores);
        this.packages = List.copyOf(packages);
        this.numaNodes = List.copyOf(numaNodes);
        this.caches = List.copyOf(caches);
        this.links = List.copyOf(links);
        this.measured = Map.copyOf(measured);
        validate();
        int p = packages.size();
        this.hops = new int[p][];
        this.next = new int[p][];
        List<List<Link>> adjacent = adjacency();
        for (int a = 0; a < p; a++) {
            bfs(a, adjacent);
        }
        this.linkLatency = new long[p][];
        for (int a = 0; a < p; a++) {
            linkLatency[a] = dijkstra(a, adjacent);
        }
        this.cachesOf = cacheTable();
    }

    private void validate() {
        require(clockGhz > 0, "clock must be positive");
        require(!packages.isEmpty() && !cores.isEmpty(), "a machine has at least one package and one core");
        for (int i = 0; i < cores.size(); i++) {
            Core c = cores.get(i);
            require(c.id() == i, "core ids must be dense: core " + i + " is " + c.id());
            require(c.packageId() >= 0 && c.packageId() < packages.size(), "core " + i + ": no package " + c.packageId());
            require(c.numaNode() >= 0 && c.numaNode() < numaNodes.size(), "core " + i + ": no NUMA node " + c.numaNode());
        }
        for (int i = 0; i < packages.size(); i++) {
            require(packages.get(i).id() == i, "package ids must be dense");
            require(!packages.get(i).cores().isEmpty(), "package " + i + " has no cores");
        }
        for (int i = 0; i < numaNodes.size(); i++) {
            require(numaNodes.get(i).id() == i, "NUMA node ids must be dense");
        }
        for (Link l : links) {
            require(l.a() >= 0 && l.a() < packages.size() && l.b() >= 0 && l.b() < packages.size() && l.a() != l.b(),
                    "bad link " + l);
            require(l.latencyCycles() >= 0, "negative link latency " + l);
        }
        for (Cache c : caches) {
            require(!c.cores().isEmpty() && c.cores().stream().allMatch(x -> x >= 0 && x < cores.size()),
                    "cache " + c.name() + " refers to a core that does not exist");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private List<List<Link>> adjacency() {
        List<List<Link>> adjacent = new ArrayList<>();
        packages.forEach(x -> adjacent.add(new ArrayList<>()));
        for (Link l : links) {
            adjacent.get(l.a()).add(l);
            adjacent.get(l.b()).add(l);
        }
        // Lowest neighbour first, so that among equal paths the one through lower ids is chosen: deterministic.
        for (int a = 0; a < adjacent.size(); a++) {
            int from = a;
            adjacent.get(a).sort(Comparator.comparingInt(l -> other(l, from)));
        }
        return adjacent;
    }

    private static int other(Link l, int from) {
        return l.a() == from ? l.b() : l.a();
    }

    private void bfs(int source, List<List<Link>> adjacent) {
        int p = packages.size();
        int[] dist = new int[p];
        int[] first = new int[p];
        Arrays.fill(dist, -1);
        dist[source] = 0;
        first[source] = source;
        var queue = new ArrayDeque<Integer>();
        queue.add(source);
        while (!queue.isEmpty()) {
            int at = queue.poll();
            for (Link l : adjacent.get(at)) {
                int to = other(l, at);
                if (dist[to] < 0) {
                    dist[to] = dist[at] + 1;
                    first[to] = at == source ? to : first[at];
                    queue.add(to);
                }
            }
        }
        for (int b = 0; b < p; b++) {
            require(dist[b] >= 0, "package " + b + " cannot be reached from package " + source);
        }
        hops[source] = dist;
        next[source] = first;
    }

    private long[] dijkstra(int source, List<List<Link>> adjacent) {
        int p = packages.size();
        long[] dist = new long[p];
        boolean[] done = new boolean[p];
        Arrays.fill(dist, Long.MAX_VALUE);
        dist[source] = 0;
        // O(P^2) without a heap: P is at most a few thousand and this runs once per machine.
        for (int round = 0; round < p; round++) {
            int at = -1;
            for (int i = 0; i < p; i++) {
                if (!done[i] && (at < 0 || dist[i] < dist[at])) {
                    at = i;
                }
            }
            done[at] = true;
            for (Link l : adjacent.get(at)) {
                int to = other(l, at);
                long d = dist[at] + l.latencyCycles();
                if (d < dist[to]) {
                    dist[to] = d;
                }
            }
        }
        return dist;
    }

    private Cache[][] cacheTable() {
        List<List<Cache>> of = new ArrayList<>();
        cores.forEach(c -> of.add(new ArrayList<>()));
        for (Cache c : caches) {
            c.cores().forEach(core -> of.get(core).add(c));
        }
        Cache[][] table = new Cache[cores.size()][];
        for (int i = 0; i < table.length; i++) {
            List<Cache> list = of.get(i);
            list.sort(Comparator.comparingInt(Cache::level).thenComparingLong(Cache::sizeBytes));
            table[i] = list.toArray(new Cache[0]);
        }
        return table;
    }

    // ---- description ------------------------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public double clockGhz() {
        return clockGhz;
    }

    /** Base cycles of any transfer between packages; link latencies along the path are added to it. */
    public long remoteLatency() {
        return remoteLatency;
    }

    public List<Core> cores() {
        return cores;
    }

    public List<CpuPackage> packages() {
        return packages;
    }

    public List<NumaNode> numaNodes() {
        return numaNodes;
    }

    public List<Cache> caches() {
        return caches;
    }

    public List<Link> links() {
        return links;
    }

    public int coreCount() {
        return cores.size();
    }

    /**
     * The CPU cost in cycles of one message at each end (the sender's stub, binding and channel publish; the
     * receiver's poll, decode and dispatch), as measured on this machine ({@code measured message-cpu N}); empty
     * where it was not measured, which is every machine of the paper: their cost is the simulator's calibrated
     * default. The latencies ({@link #latency(int, int)}) of a machine that carries it are one-frame messages through
     * that same path, so both ends' share is part of each latency, as on every machine.
     */
    public OptionalLong messageCpuCycles() {
        return cost(TopoCost.MESSAGE_CPU);
    }

    /**
     * A CPU cost in cycles measured on this machine ({@code measured KEYWORD N} in its {@code .topo}: a message at
     * each end, a capability invocation, a system call, sending or taking an interrupt); empty where it was not
     * measured, which is every machine of the paper. {@code flotilla skb measure --write-topo} measures them all for
     * a host's twin.
     */
    public OptionalLong cost(TopoCost cost) {
        Long cycles = costs.get(cost);
        return cycles == null ? OptionalLong.empty() : OptionalLong.of(cycles);
    }

    /** Every measured cost ({@link #cost}), in {@link TopoCost} order. */
    public Map<TopoCost, Long> costs() {
        return costs;
    }

    /** Measured latencies by {@link #pairKey(int, int)}. */
    public Map<Long, Long> measured() {
        return measured;
    }

    // ---- queries ----------------------------------------------------------------------------------------------

    public Core core(int id) {
        return cores.get(id);
    }

    public CpuPackage packageOf(int core) {
        return packages.get(cores.get(core).packageId());
    }

    public NumaNode numaNodeOf(int core) {
        return numaNodes.get(cores.get(core).numaNode());
    }

    /** The other hardware threads of the core's physical core. */
    public List<Integer> smtSiblings(int core) {
        Core c = cores.get(core);
        List<Integer> out = new ArrayList<>();
        for (int other : packages.get(c.packageId()).cores()) {
            if (other != core && cores.get(other).physicalCore() == c.physicalCore()) {
                out.add(other);
            }
        }
        return out;
    }

    /** Interconnect hops between two packages. */
    public int packageHops(int packageA, int packageB) {
        return hops[packageA][packageB];
    }

    /** Interconnect hops between the packages of two cores: 0 within a package. */
    public int hops(int coreA, int coreB) {
        return hops[cores.get(coreA).packageId()][cores.get(coreB).packageId()];
    }

    /** The packages on a shortest path (fewest hops; among equals, through lower ids), both ends included. */
    public List<Integer> packagePath(int packageA, int packageB) {
        List<Integer> path = new ArrayList<>();
        path.add(packageA);
        for (int at = packageA; at != packageB; ) {
            at = next[at][packageB];
            path.add(at);
        }
        return path;
    }

    /** Sum of link latencies along the cheapest path between two packages. */
    public long linkLatency(int packageA, int packageB) {
        return linkLatency[packageA][packageB];
    }

    /** The smallest cache both cores share (lowest level first), if any; a core shares all its caches with itself. */
    public Optional<Cache> closestSharedCache(int coreA, int coreB) {
        for (Cache c : cachesOf[coreA]) {
            if (c.contains(coreB)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The caches of a core, by level. */
    public List<Cache> cachesOf(int core) {
        return List.of(cachesOf[core]);
    }

    /** Cycles for one cache-line transfer between two cores; see the class comment for the model. */
    public long latency(int coreA, int coreB) {
        if (coreA == coreB) {
            cores.get(coreA);
            return 0;
        }
        Long m = measured.get(pairKey(coreA, coreB));
        if (m != null) {
            return m;
        }
        Optional<Cache> shared = closestSharedCache(coreA, coreB);
        if (shared.isPresent()) {
            return shared.get().latency();
        }
        int pa = cores.get(coreA).packageId();
        int pb = cores.get(coreB).packageId();
        if (pa == pb) {
            return packages.get(pa).localLatency();
        }
        return remoteLatency + linkLatency[pa][pb];
    }

    /** Key of an unordered core pair in {@link #measured()}. */
    public static long pairKey(int a, int b) {
        return (long) Math.min(a, b) << 32 | Math.max(a, b);
    }

    @Override
    public String toString() {
        return "machine " + name + " (" + cores.size() + " cores, " + packages.size() + " packages, "
                + numaNodes.size() + " NUMA nodes)";
    }
}
