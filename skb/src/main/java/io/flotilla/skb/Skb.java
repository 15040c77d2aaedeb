package io.flotilla.skb;

import io.flotilla.machine.Machine;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.projog.api.Projog;
import org.projog.api.QueryResult;
import org.projog.core.ProjogException;
import org.projog.core.parser.ParserException;
import org.projog.core.predicate.PredicateKey;

/**
 * The System Knowledge Base: an embedded Prolog engine (Projog) holding the facts of one {@link Machine}, the
 * Java built-ins of {@link Builtins} and the rule library shipped as {@code .pl} resources (routes, the NUMA-aware
 * multicast tree, transport selection, memory placement). See {@code docs/skb.md}.
 *
 * <p>Queries are serialised: the engine is not thread-safe, and SKB queries are made at bind and boot time, not
 * on message paths.
 */
public final class Skb {

    /** The rule library, consulted in this order. */
    static final List<String> RULES = List.of("routes.pl", "multicast.pl", "transport.pl", "memory.pl");
    /** Most solutions {@link #query(String)} collects; a goal with more (or infinitely many) is cut off there. */
    public static final int MAX_SOLUTIONS = 100_000;
    /** Most inferences (calls and retries of predicates) one query makes by default; see {@link GoalBudget}. */
    public static final long DEFAULT_INFERENCES = GoalBudget.DEFAULT_INFERENCES;

    private final Machine machine;
    private final Projog projog;
    private final Map<Long, long[]> measuredRtt = new ConcurrentHashMap<>();
    private final GoalChecker checker;
    private final GoalBudget budget;

    private Skb(Machine machine) {
        this.machine = machine;
        this.projog = new Projog();
        // Before anything is consulted: rules are compiled against the operators in force when they are read.
        this.budget = SkbSandbox.seal(projog);
        var builtins = new Builtins(machine, measuredRtt);
        projog.addPredicateFactory(new PredicateKey("message_rtt", 6), builtins.messageRtt());
        projog.addPredicateFactory(new PredicateKey("shortest_path", 3), builtins.shortestPath());
        projog.addPredicateFactory(new PredicateKey("min_spanning_tree", 1), builtins.minSpanningTree());
        projog.addPredicateFactory(new PredicateKey("closest_shared_cache", 4), builtins.closestSharedCache());
        new Facts(projog.getKnowledgeBase()).addAll(machine);
        for (String rules : RULES) {
            try (Reader in = new InputStreamReader(Skb.class.getResourceAsStream(rules), StandardCharsets.UTF_8)) {
                projog.consultReader(in);
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalStateException("the SKB rule library " + rules + " cannot be loaded: " + e, e);
            }
        }
        this.checker = new GoalChecker(projog);
    }

    /** A knowledge base of the machine's facts and the rule library. */
    public static Skb of(Machine machine) {
        return new Skb(machine);
    }

    public Machine machine() {
        return machine;
    }

    // ---- the general query API --------------------------------------------------------------------------------

    /**
     * Every solution of {@code goal} (a trailing '.' is optional), each as the goal's named variables (those not
     * starting with '_') in order of appearance, bound to Java values: {@link Long}, {@link Double}, {@link String}
     * for atoms, {@link List}, {@link SkbTerm.Compound} or {@link SkbTerm.Unbound}. At most {@link #MAX_SOLUTIONS}.
     *
     * @return no solutions: an empty list; a goal without variables that succeeds: one empty map
     * @throws SkbQueryException for a syntax error in the goal (with its column) or an unknown predicate
     */
    public synchronized List<Map<String, Object>> query(String goal) {
        return query(goal, MAX_SOLUTIONS);
    }

    /** As {@link #query(String)}, with at most {@code maxSolutions} solutions. */
    public synchronized List<Map<String, Object>> query(String goal, int maxSolutions) {
        return query(goal, maxSolutions, DEFAULT_INFERENCES);
    }

    /**
     * As {@link #query(String)}, with at most {@code maxSolutions} solutions and at most {@code maxInferences} calls
     * and retries of predicates, over all solutions: a goal that spends them all fails with a
     * {@link SkbQueryException} saying so, whatever it would have computed (see {@link GoalBudget}).
     */
    public synchronized List<Map<String, Object>> query(String goal, int maxSolutions, long maxInferences) {
        return query(goal, maxSolutions, maxInferences, GoalBudget.DEFAULT_TIME);
    }

    /**
     * As {@link #query(String, int, long)}, stopped also after {@code maxTime} (default 10 s), the backstop for a
     * goal whose single inferences grow ever dearer ({@code length(L, N), fail}); see {@link GoalBudget}.
     */
    public synchronized List<Map<String, Object>> query(String goal, int maxSolutions, long maxInferences,
            java.time.Duration maxTime) {
        GoalChecker.Checked checked = checker.check(goal);
        List<Map<String, Object>> solutions = new ArrayList<>();
        budget.reset(maxInferences, maxTime);
        try {
            QueryResult result = projog.executeQuery(checked.sentence());
            while (solutions.size() < maxSolutions && result.next()) {
                Map<String, Object> solution = new LinkedHashMap<>();
                for (String var : checked.variables()) {
                    solution.put(var, Terms.toJava(result.getTerm(var)));
                }
                solutions.add(solution);
            }
        } catch (GoalBudget.Exceeded e) {
            throw new SkbQueryException(budget.why(), 0);
        } catch (ParserException e) {
            throw new SkbQueryException("syntax error in goal: " + e.getMessage(), 0);
        } catch (ProjogException | ArithmeticException e) {
            if (budgetExceeded(e)) {
                throw new SkbQueryException(budget.why(), 0);
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StackOverflowError) { // a rule asserted by the goal, calling itself for ever
                    throw new SkbQueryException("the query recursed too deeply", 0);
                }
            }
            throw new SkbQueryException("the query failed: " + Terms.describe(e), 0);
        } catch (RuntimeException e) {
            // A built-in given arguments it cannot handle throws what it likes; it is still the goal's fault.
            throw new SkbQueryException("the query failed: " + e.getClass().getSimpleName() + ": "
                    + Terms.describe(e), 0);
        } catch (StackOverflowError e) {
            throw new SkbQueryException("the query recursed too deeply", 0);
        }
        return solutions;
    }

    /** Whether {@code e} is the engine's wrapping of a spent budget. */
    private static boolean budgetExceeded(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GoalBudget.Exceeded) {
                return true;
            }
        }
        return false;
    }

    /** The first solution, if any. */
    public synchronized Optional<Map<String, Object>> queryFirst(String goal) {
        List<Map<String, Object>> all = query(goal, 1);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    // ---- typed helpers ----------------------------------------------------------------------------------------

    /** The NUMA-aware multicast tree from {@code root}, in send order (see multicast.pl and docs/skb.md). */
    public List<Send> multicastTree(int root) {
        requireCore(root);
        List<Send> sends = new ArrayList<>();
        for (Object o : (List<?>) first("multicast_tree(" + root + ", Sends)").get("Sends")) {
            List<Object> args = ((SkbTerm.Compound) o).args();
            sends.add(new Send(((Long) args.get(0)).intValue(), ((Long) args.get(1)).intValue()));
        }
        return sends;
    }

    /** The packages a message from core {@code a} to core {@code b} crosses, cheapest by link latency. */
    public List<Integer> route(int a, int b) {
        requireCore(a);
        requireCore(b);
        return ints((List<?>) first("route(" + a + ", " + b + ", P)").get("P"));
    }

    /** The transport between two cores of this machine: {@link Transport#LRPC} or {@link Transport#URPC}. */
    public Transport transportFor(int coreA, int coreB) {
        requireCore(coreA);
        requireCore(coreB);
        return transport(String.valueOf(coreA), String.valueOf(coreB));
    }

    /**
     * The transport between a core of this machine and a core of another machine, named by {@code otherMachine}:
     * {@link Transport#NET}, unless the other machine is this one.
     */
    public Transport transportFor(int core, String otherMachine, int otherCore) {
        requireCore(core);
        return transport(String.valueOf(core), "remote(" + Terms.quoteAtom(otherMachine) + ", " + otherCore + ")");
    }

    /** The transport between two endpoint terms of transport.pl: a core id, or {@code remote(Machine, Core)}. */
    Transport transport(String a, String b) {
        String atom = (String) first("transport(" + a + ", " + b + ", T)").get("T");
        return Transport.valueOf(atom.toUpperCase(java.util.Locale.ROOT));
    }

    /** The NUMA node with memory closest to the core. */
    public int closestMemoryNode(int core) {
        requireCore(core);
        return ((Long) first("closest_memory_node(" + core + ", N)").get("N")).intValue();
    }

    /**
     * Records a measured message round trip (cycles) from one core to another, replacing the modelled one in
     * {@code message_rtt/6} and everything built on it (the multicast tree). The seam for online measurement: the
     * runtime measures every core pair at boot and asserts the results here.
     */
    public void assertMessageRtt(int from, int to, long avg, long var, long min, long max) {
        requireCore(from);
        requireCore(to);
        if (from == to || avg < 0 || var < 0 || min < 0 || max < min) {
            throw new IllegalArgumentException("impossible round trip " + from + " -> " + to + ": avg " + avg
                    + ", var " + var + ", min " + min + ", max " + max);
        }
        measuredRtt.put(Builtins.orderedKey(from, to), new long[] {avg, var, min, max});
    }

    private Map<String, Object> first(String goal) {
        return queryFirst(goal).orElseThrow(() -> new IllegalStateException("the SKB has no answer to " + goal));
    }

    private void requireCore(int core) {
        if (core < 0 || core >= machine.coreCount()) {
            throw new IllegalArgumentException("no core " + core + " on " + machine.name() + " (cores 0.."
                    + (machine.coreCount() - 1) + ")");
        }
    }

    private static List<Integer> ints(List<?> values) {
        return values.stream().map(v -> ((Long) v).intValue()).toList();
    }

    /** Renders a value from {@link #query(String)} as Prolog writes it: {@code [sendto(0, 4), sendto(0, 1)]}. */
    public static String format(Object value) {
        return Terms.format(value);
    }
}
