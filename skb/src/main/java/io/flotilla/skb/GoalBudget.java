package io.flotilla.skb;

import java.util.Map;
import org.projog.core.event.ProjogListener;
import org.projog.core.event.SpyPoints;
import org.projog.core.kb.KnowledgeBase;
import org.projog.core.predicate.Predicate;
import org.projog.core.predicate.PredicateFactory;
import org.projog.core.predicate.PredicateKey;
import org.projog.core.term.Term;

/**
 * The inference budget of one SKB query, so that a goal that runs for ever ({@code repeat, fail}, a rule that calls
 * itself without end, {@code between(1, inf, X), fail}) ends with a one-line error instead of holding its caller
 * for ever. An inference is a call or a retry of a predicate: of a rule (seen through Projog's trace events, which
 * every rule's call and redo reports) or of a built-in (each wrapped, so that each call and each retry is counted;
 * the control constructs, which only run other goals, are left alone, and what they run is counted).
 * Counting, not a clock, keeps an SKB answer the same on every machine and every run, which the simulator needs.
 *
 * <p>Counting calls does not bound the work inside one call: {@code length(L, N), fail} retries {@code length/2}
 * with ever longer lists, so its n-th inference costs n steps. A time limit ({@link #DEFAULT_TIME}, read every
 * {@value #CLOCK_EVERY} inferences) is the backstop for such goals; it is far above what any real question takes,
 * so a goal whose answer depends on the machine is one that was going to be refused anyway.
 *
 * <p>One per engine; used under the {@link Skb}'s lock, by one query at a time.
 */
final class GoalBudget implements ProjogListener {

    /** Inferences a query may make by default: a few seconds of Projog; the rule library needs thousands. */
    static final long DEFAULT_INFERENCES = 5_000_000;

    private static final String CONTROL_CONSTRUCTS = "org.projog.core.predicate.builtin.compound";

    /** The backstop: a query stops after this long, whatever it has spent. */
    static final java.time.Duration DEFAULT_TIME = java.time.Duration.ofSeconds(10);
    /** Inferences between two readings of the clock. */
    static final int CLOCK_EVERY = 256;

    private long limit = DEFAULT_INFERENCES;
    private long left = DEFAULT_INFERENCES;
    private long deadline;
    private long timeLimitNanos;
    private int untilClock = CLOCK_EVERY;

    /** Thrown from inside the engine when a query has spent its budget; no stack trace (the goal's fault). */
    static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    /** Why the current query was stopped. */
    private String why;

    /** Hooks this budget into an engine: trace events for rules, wrappers for retryable built-ins. */
    static GoalBudget install(KnowledgeBase kb, Map<PredicateKey, PredicateFactory> builtins) {
        GoalBudget budget = new GoalBudget();
        kb.getProjogListeners().addListener(budget);
        kb.getSpyPoints().setTraceEnabled(true);
        for (Map.Entry<PredicateKey, PredicateFactory> e : builtins.entrySet()) {
            PredicateFactory f = e.getValue();
            // Control constructs (',', ';', '->', findall/3...) run other goals, which are counted; they are left
            // alone, since the engine looks at some of their types (a disjunction checks for if-then).
            if (!f.getClass().getPackageName().equals(CONTROL_CONSTRUCTS)) {
                e.setValue(budget.new Counted(f));
            }
        }
        return budget;
    }

    /** Gives the next query {@code inferences} to spend and {@code time} to spend them in. */
    void reset(long inferences, java.time.Duration time) {
        if (inferences < 1) {
            throw new IllegalArgumentException("an inference budget must be >= 1: " + inferences);
        }
        if (time.isNegative() || time.isZero()) {
            throw new IllegalArgumentException("a time budget must be positive: " + time);
        }
        limit = inferences;
        left = inferences;
        timeLimitNanos = time.toNanos();
        deadline = System.nanoTime() + timeLimitNanos;
        untilClock = CLOCK_EVERY;
        why = null;
    }

    /** The one-line reason the current query was stopped (it stays stopped). */
    String why() {
        return why;
    }

    private void spend() {
        if (why != null) {
            throw new Exceeded(why); // stays spent: every later call in this query fails the same way
        }
        if (--left < 0) {
            why = "the goal made more than " + limit + " inferences (calls and retries) and was stopped; a goal that "
                    + "never ends (repeat, fail)?";
            throw new Exceeded(why);
        }
        if (--untilClock == 0) {
            untilClock = CLOCK_EVERY;
            if (System.nanoTime() - deadline > 0) {
                why = "the goal ran for more than " + java.time.Duration.ofNanos(timeLimitNanos).toMillis()
                        + " ms and was stopped (after " + (limit - left) + " inferences); a goal that never ends?";
                throw new Exceeded(why);
            }
        }
    }

    @Override
    public void onCall(SpyPoints.SpyPointEvent event) {
        spend();
    }

    @Override
    public void onRedo(SpyPoints.SpyPointEvent event) {
        spend();
    }

    @Override
    public void onExit(SpyPoints.SpyPointExitEvent event) {}

    @Override
    public void onFail(SpyPoints.SpyPointEvent event) {}

    @Override
    public void onWarn(String message) {}

    @Override
    public void onInfo(String message) {}

    /** A built-in whose every call and retry spends one inference. */
    private final class Counted implements PredicateFactory {
        private final PredicateFactory inner;

        Counted(PredicateFactory inner) {
            this.inner = inner;
        }

        @Override
        public Predicate getPredicate(Term args) {
            spend();
            Predicate p = inner.getPredicate(args);
            return new Predicate() {
                private boolean first = true;

                @Override
                public boolean evaluate() {
                    if (!first) {
                        spend(); // a retry
                    }
                    first = false;
                    return p.evaluate();
                }

                @Override
                public boolean couldReevaluationSucceed() {
                    return p.couldReevaluationSucceed();
                }
            };
        }

        @Override
        public boolean isRetryable() {
            return inner.isRetryable();
        }

        @Override
        public boolean isAlwaysCutOnBacktrack() {
            return inner.isAlwaysCutOnBacktrack();
        }

        /** A built-in that specialises itself for its arguments (when a rule is read) stays counted. */
        @Override
        public PredicateFactory preprocess(Term term) {
            PredicateFactory p = inner.preprocess(term);
            return p == inner ? this : new Counted(p);
        }
    }
}
