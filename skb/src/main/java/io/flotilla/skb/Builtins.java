package io.flotilla.skb;

import io.flotilla.machine.Cache;
import io.flotilla.machine.Link;
import io.flotilla.machine.Machine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.alg.spanning.KruskalMinimumSpanningTree;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;
import org.projog.core.predicate.Predicate;
import org.projog.core.predicate.PredicateFactory;
import org.projog.core.term.Atom;
import org.projog.core.term.IntegerNumberCache;
import org.projog.core.term.ListFactory;
import org.projog.core.term.StructureFactory;
import org.projog.core.term.Term;
import org.projog.core.term.TermType;

/**
 * The SKB's Java built-in predicates. Graph work (shortest routes, minimum spanning trees) is JGraphT over the
 * package graph, weighted by link latency; {@code message_rtt/6} and {@code closest_shared_cache/4} answer from the
 * machine model instead of millions of facts (a 1024-core machine has a million core pairs).
 */
final class Builtins {

    private final Machine machine;
    private final Graph<Integer, DefaultWeightedEdge> packages;
    /** Measured round trips asserted by the runtime, by ordered pair: {avg, var, min, max}. */
    private final Map<Long, long[]> measuredRtt;

    Builtins(Machine machine, Map<Long, long[]> measuredRtt) {
        this.machine = machine;
        this.measuredRtt = measuredRtt;
        this.packages = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        machine.packages().forEach(p -> packages.addVertex(p.id()));
        for (Link l : machine.links()) {
            DefaultWeightedEdge e = packages.addEdge(l.a(), l.b());
            if (e != null) {
                packages.setEdgeWeight(e, l.latencyCycles());
            }
        }
    }

    static long orderedKey(int from, int to) {
        return (long) from << 32 | (to & 0xffffffffL);
    }

    /** The round trip of a core pair: measured if asserted, else modelled as twice the one-way latency. */
    long[] rtt(int from, int to) {
        long[] m = measuredRtt.get(orderedKey(from, to));
        if (m != null) {
            return m;
        }
        long avg = 2 * machine.latency(from, to);
        return new long[] {avg, 0, avg, avg};
    }

    /** {@code message_rtt(From, To, Avg, Var, Min, Max)}: every ordered pair of distinct cores, or the one asked. */
    PredicateFactory messageRtt() {
        return new PredicateFactory() {
            @Override
            public Predicate getPredicate(Term goal) {
                Term[] args = resolved(goal);
                int n = machine.coreCount();
                Optional<Integer> from = core(args[0], n);
                Optional<Integer> to = core(args[1], n);
                if (from == null || to == null) {
                    return FAILS;
                }
                int fromLo = from.orElse(0);
                int fromHi = from.map(x -> x + 1).orElse(n);
                int toLo = to.orElse(0);
                int toHi = to.map(x -> x + 1).orElse(n);
                return new Enumeration(args, new java.util.Iterator<>() {
                    int f = fromLo;
                    int t = toLo;

                    private void skipSelf() {
                        while (f < fromHi && (t >= toHi || f == t)) {
                            if (t >= toHi) {
                                f++;
                                t = toLo;
                            } else {
                                t++;
                            }
                        }
                    }

                    @Override
                    public boolean hasNext() {
                        skipSelf();
                        return f < fromHi;
                    }

                    @Override
                    public Term[] next() {
                        skipSelf();
                        long[] r = rtt(f, t);
                        Term[] out = {num(f), num(t), num(r[0]), num(r[1]), num(r[2]), num(r[3])};
                        t++;
                        return out;
                    }
                });
            }

            @Override
            public boolean isRetryable() {
                return true;
            }
        };
    }

    /** {@code shortest_path(PackageA, PackageB, Packages)}: the cheapest path by link latency (JGraphT Dijkstra). */
    PredicateFactory shortestPath() {
        return deterministic(args -> {
            Optional<Integer> a = packageId(args[0]);
            Optional<Integer> b = packageId(args[1]);
            if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
                return null;
            }
            GraphPath<Integer, DefaultWeightedEdge> path = DijkstraShortestPath.findPathBetween(packages, a.get(),
                    b.get());
            if (path == null) {
                return null;
            }
            return new Term[] {args[0], args[1], list(path.getVertexList().stream().map(Builtins::num).toList())};
        });
    }

    /** {@code min_spanning_tree(Links)}: a minimum spanning tree of the packages by link latency (JGraphT Kruskal). */
    PredicateFactory minSpanningTree() {
        return deterministic(args -> {
            List<int[]> edges = new ArrayList<>();
            for (DefaultWeightedEdge e : new KruskalMinimumSpanningTree<>(packages).getSpanningTree()) {
                int s = packages.getEdgeSource(e);
                int t = packages.getEdgeTarget(e);
                edges.add(new int[] {Math.min(s, t), Math.max(s, t), (int) packages.getEdgeWeight(e)});
            }
            edges.sort(Comparator.<int[]>comparingInt(e -> e[0]).thenComparingInt(e -> e[1]));
            List<Term> terms = edges.stream()
                    .map(e -> StructureFactory.createStructure("link", new Term[] {num(e[0]), num(e[1]), num(e[2])}))
                    .toList();
            return new Term[] {list(terms)};
        });
    }

    /** {@code closest_shared_cache(CoreA, CoreB, Name, Level)}: fails when the cores share no cache. */
    PredicateFactory closestSharedCache() {
        return deterministic(args -> {
            Optional<Integer> a = core(args[0], machine.coreCount());
            Optional<Integer> b = core(args[1], machine.coreCount());
            if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
                return null;
            }
            Optional<Cache> c = machine.closestSharedCache(a.get(), b.get());
            return c.map(cache -> new Term[] {args[0], args[1], new Atom(cache.name().toLowerCase(java.util.Locale.ROOT)), num(cache.level())})
                    .orElse(null);
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static final Predicate FAILS = new Predicate() {
        @Override
        public boolean evaluate() {
            return false;
        }

        @Override
        public boolean couldReevaluationSucceed() {
            return false;
        }
    };

    /** A predicate with at most one answer: the function returns the terms to unify with the arguments, or null. */
    private static PredicateFactory deterministic(java.util.function.Function<Term[], Term[]> answer) {
        return new PredicateFactory() {
            @Override
            public Predicate getPredicate(Term goal) {
                Term[] args = resolved(goal);
                Term[] result = answer.apply(args);
                if (result == null) {
                    return FAILS;
                }
                return new Enumeration(args, java.util.List.<Term[]>of(result).iterator());
            }

            @Override
            public boolean isRetryable() {
                return false;
            }
        };
    }

    /**
     * Unifies the arguments with each answer in turn. Only the variables that were unbound at the call are undone
     * between answers; bindings made by the caller must survive.
     */
    private static final class Enumeration implements Predicate {
        private final Term[] args;
        private final java.util.Iterator<Term[]> answers;
        private final List<Term> free = new ArrayList<>();

        Enumeration(Term[] args, java.util.Iterator<Term[]> answers) {
            this.args = args;
            this.answers = answers;
            for (Term t : args) {
                if (t.getType() != TermType.VARIABLE && !t.isImmutable()) {
                    free.add(t); // a partly bound structure: its variables may be bound by unification
                } else if (t.getType() == TermType.VARIABLE) {
                    free.add(t);
                }
            }
        }

        @Override
        public boolean evaluate() {
            while (answers.hasNext()) {
                free.forEach(Term::backtrack);
                Term[] answer = answers.next();
                boolean ok = true;
                for (int i = 0; i < args.length && ok; i++) {
                    ok = args[i].unify(answer[i]);
                }
                if (ok) {
                    return true;
                }
            }
            free.forEach(Term::backtrack);
            return false;
        }

        @Override
        public boolean couldReevaluationSucceed() {
            return answers.hasNext();
        }
    }

    private static Term[] resolved(Term goal) {
        Term[] args = new Term[goal.getNumberOfArguments()];
        for (int i = 0; i < args.length; i++) {
            args[i] = goal.getArgument(i).getTerm();
        }
        return args;
    }

    /** Empty for a variable (any core), the core for an integer in range, null (fail) for anything else. */
    private static Optional<Integer> core(Term t, int count) {
        if (t.getType() == TermType.VARIABLE) {
            return Optional.empty();
        }
        if (t.getType() == TermType.INTEGER) {
            long v = ((org.projog.core.term.IntegerNumber) t).getLong();
            if (v >= 0 && v < count) {
                return Optional.of((int) v);
            }
        }
        return null;
    }

    private Optional<Integer> packageId(Term t) {
        return core(t, machine.packages().size());
    }

    static Term num(long v) {
        return IntegerNumberCache.valueOf(v);
    }

    static Term list(List<? extends Term> terms) {
        return ListFactory.createList(terms);
    }
}
