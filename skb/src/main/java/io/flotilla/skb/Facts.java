package io.flotilla.skb;

import static io.flotilla.skb.Builtins.list;
import static io.flotilla.skb.Builtins.num;

import io.flotilla.machine.Cache;
import io.flotilla.machine.Core;
import io.flotilla.machine.CpuPackage;
import io.flotilla.machine.Link;
import io.flotilla.machine.Machine;
import io.flotilla.machine.NumaNode;
import java.util.HashMap;
import java.util.Map;
import org.projog.core.kb.KnowledgeBase;
import org.projog.core.predicate.PredicateKey;
import org.projog.core.predicate.udp.ClauseModel;
import org.projog.core.predicate.udp.UserDefinedPredicateFactory;
import org.projog.core.term.Atom;
import org.projog.core.term.DecimalFraction;
import org.projog.core.term.StructureFactory;
import org.projog.core.term.Term;

/**
 * Writes the machine model into the knowledge base as facts, in Barrelfish's vocabulary where it has one
 * (barrelfish-digest.md §4.2), added as clauses directly rather than parsed from text: a 1024-core machine has
 * some ten thousand of them. Core-pair facts (round trips, shared caches) are not facts but built-ins.
 *
 * <pre>
 * cpu_thread(Core, Package, PhysicalCore, Thread)       corename(Core, x86_64, apic(Core))
 * cache(Name, Core, Level, data|instruction|unified, Size, Assoc, LineSize, LinesPerTag)   (Name: l1d, l2, ...)
 * nr_running_cores(N)            machine(Name, ClockGHz)
 * core_numa(Core, Node)          cpu_affinity(Apic, 0, Node)       numa_node(Node, MemoryBytes)
 * numa_distance(NodeA, NodeB, Hops)                   node_distance(NodeA, NodeB, 10 + 10 * Hops)
 * package_cores(Package, [Core...])                   package_leader(Package, LowestCore)
 * link(PackageA, PackageB, LatencyCycles, BandwidthGBps)   (once per link, A &lt; B)
 * package_hops(PackageA, PackageB, Hops)                   (every ordered pair)
 * </pre>
 */
final class Facts {

    private final KnowledgeBase kb;
    private final Map<PredicateKey, UserDefinedPredicateFactory> predicates = new HashMap<>();

    Facts(KnowledgeBase kb) {
        this.kb = kb;
    }

    void addAll(Machine m) {
        add("machine", new Atom(m.name()), new DecimalFraction(m.clockGhz()));
        add("nr_running_cores", num(m.coreCount()));
        for (Core c : m.cores()) {
            add("cpu_thread", num(c.id()), num(c.packageId()), num(c.physicalCore()), num(c.thread()));
            add("corename", num(c.id()), new Atom("x86_64"), StructureFactory.createStructure("apic", num(c.id())));
            add("core_numa", num(c.id()), num(c.numaNode()));
            add("cpu_affinity", num(c.id()), num(0), num(c.numaNode()));
        }
        for (Cache cache : m.caches()) {
            Atom type = new Atom(cache.type() == 'd' ? "data" : cache.type() == 'i' ? "instruction" : "unified");
            for (int core : cache.cores()) {
                add("cache", new Atom(cache.name().toLowerCase(java.util.Locale.ROOT)), num(core), num(cache.level()), type, num(cache.sizeBytes()),
                        num(cache.associativity()), num(cache.lineBytes()), num(1));
            }
        }
        for (NumaNode n : m.numaNodes()) {
            add("numa_node", num(n.id()), num(n.memoryBytes()));
        }
        numaDistances(m);
        for (CpuPackage p : m.packages()) {
            add("package_cores", num(p.id()), list(p.cores().stream().map(Builtins::num).toList()));
            add("package_leader", num(p.id()), num(p.cores().get(0)));
        }
        for (Link l : m.links()) {
            add("link", num(Math.min(l.a(), l.b())), num(Math.max(l.a(), l.b())), num(l.latencyCycles()),
                    new DecimalFraction(l.bandwidthGBps()));
        }
        for (int a = 0; a < m.packages().size(); a++) {
            for (int b = 0; b < m.packages().size(); b++) {
                add("package_hops", num(a), num(b), num(m.packageHops(a, b)));
            }
        }
    }

    /**
     * Hops between NUMA nodes: the fewest between packages holding their cores. A node without cores is taken to
     * be as far as the farthest package pair, so memory on it is chosen last.
     */
    private void numaDistances(Machine m) {
        int nodes = m.numaNodes().size();
        int far = 0;
        for (int a = 0; a < m.packages().size(); a++) {
            for (int b = 0; b < m.packages().size(); b++) {
                far = Math.max(far, m.packageHops(a, b) + 1);
            }
        }
        for (int a = 0; a < nodes; a++) {
            for (int b = 0; b < nodes; b++) {
                int best = a == b ? 0 : far;
                for (int ca : m.numaNodes().get(a).cores()) {
                    for (int cb : m.numaNodes().get(b).cores()) {
                        best = Math.min(best, m.hops(ca, cb));
                    }
                    if (best == 0) {
                        break;
                    }
                }
                add("numa_distance", num(a), num(b), num(best));
                add("node_distance", num(a), num(b), num(10 + 10L * best));
            }
        }
    }

    void add(String name, Term... args) {
        Term fact = args.length == 0 ? new Atom(name) : StructureFactory.createStructure(name, args);
        PredicateKey key = PredicateKey.createForTerm(fact);
        predicates.computeIfAbsent(key, k -> kb.getPredicates().createOrReturnUserDefinedPredicate(k))
                .addLast(ClauseModel.createClauseModel(fact));
    }
}
