package io.flotilla.skb;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.projog.api.Projog;
import org.projog.core.ProjogException;
import org.projog.core.kb.KnowledgeBase;
import org.projog.core.math.AbstractArithmeticOperator;
import org.projog.core.math.ArithmeticOperator;
import org.projog.core.math.ArithmeticOperators;
import org.projog.core.predicate.Predicate;
import org.projog.core.predicate.PredicateFactory;
import org.projog.core.predicate.PredicateKey;
import org.projog.core.predicate.Predicates;
import org.projog.core.term.Term;

/**
 * Closes the parts of Projog a goal must not reach, whoever writes it, and installs {@link CheckedArithmetic}.
 *
 * <p>Projog's built-ins include a bridge to Java ({@code pj_add_predicate(foo/1, 'java.lang.Runtime')} makes any
 * class with a suitable constructor a predicate) and the file system and terminal ({@code consult/1},
 * {@code open/3}, {@code tell/1}, {@code read/1}, ...). An SKB goal is data about the machine, typed by a user
 * or built by a program from strings, so these are replaced, for the whole engine, by a predicate that refuses
 * with a reason. Replacing the implementation, not checking the goal's text, is what makes them unreachable:
 * {@code call/1} on a term built at run time ({@code atom_concat}, {@code =..}) reaches the same table.
 *
 * <p>Projog has no public way to replace a built-in (its tables refuse a second definition), so its two tables
 * are edited by reflection, once, before the rule library is consulted. If a Projog upgrade renames them,
 * {@link #seal} fails loudly and SkbTest says so; it never runs unsealed.
 */
final class SkbSandbox {

    /** Built-ins no goal may call, with why. */
    static final Map<PredicateKey, String> REFUSED = Map.ofEntries(
            refuse("pj_add_predicate", 2, "it loads Java classes"),
            refuse("pj_add_arithmetic_operator", 2, "it loads Java classes"),
            refuse("pj_add_clp_expression", 2, "it loads Java classes"),
            refuse("consult", 1, "it reads files"),
            refuse(".", 2, "it reads files"),
            refuse("ensure_loaded", 1, "it reads files"),
            refuse("open", 3, "it opens files"),
            refuse("close", 1, "it closes streams"),
            refuse("see", 1, "it opens files"),
            refuse("seen", 0, "it closes streams"),
            refuse("tell", 1, "it writes files"),
            refuse("told", 0, "it closes streams"),
            refuse("set_input", 1, "it changes the engine's input"),
            refuse("set_output", 1, "it changes the engine's output"),
            refuse("read", 1, "it waits for terminal input"),
            refuse("get_char", 1, "it waits for terminal input"),
            refuse("get_code", 1, "it waits for terminal input"),
            refuse("get0", 1, "it waits for terminal input"),
            refuse("op", 3, "it changes how every later goal is parsed"));

    private SkbSandbox() {}

    private static Map.Entry<PredicateKey, String> refuse(String name, int arity, String why) {
        return Map.entry(new PredicateKey(name, arity), why);
    }

    /**
     * Replaces the refused built-ins and the overflowing arithmetic, and installs an inference budget
     * ({@link GoalBudget}); call before consulting any rules.
     *
     * @return the engine's budget, to reset before each query
     */
    static GoalBudget seal(Projog projog) {
        KnowledgeBase kb = projog.getKnowledgeBase();
        GoalBudget budget;
        Map<PredicateKey, PredicateFactory> predicates = table(Predicates.class, kb.getPredicates(),
                "javaPredicateInstances");
        REFUSED.forEach((key, why) -> predicates.put(key, new Refused(key, why)));
        // Projog makes most built-ins on their first use, from a table of class names: make them all now, so that
        // the budget's wrappers (below) sit in front of every one.
        Map<PredicateKey, String> lazy = table(Predicates.class, kb.getPredicates(), "javaPredicateClassNames");
        for (PredicateKey key : List.copyOf(lazy.keySet())) {
            kb.getPredicates().getPredicateFactory(key);
        }
        budget = GoalBudget.install(kb, predicates);
        Map<PredicateKey, ArithmeticOperator> arithmetic = table(ArithmeticOperators.class,
                kb.getArithmeticOperators(), "operatorInstances");
        for (Map.Entry<PredicateKey, AbstractArithmeticOperator> e : CheckedArithmetic.operators().entrySet()) {
            e.getValue().setKnowledgeBase(kb);
            arithmetic.put(e.getKey(), e.getValue());
        }
        return budget;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<PredicateKey, V> table(Class<?> owner, Object instance, String field) {
        try {
            Field f = owner.getDeclaredField(field);
            f.setAccessible(true);
            return (Map<PredicateKey, V>) f.get(instance);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot seal the SKB's Prolog engine: " + owner.getName() + "." + field
                    + " is not there (a Projog version this code does not know?)", e);
        }
    }

    /** Stands in for a refused built-in: calling it fails the whole query with the reason. */
    private record Refused(PredicateKey key, String why) implements PredicateFactory {

        @Override
        public Predicate getPredicate(Term args) {
            throw new ProjogException(key.getName() + "/" + key.getNumArgs() + " is not available in SKB goals: "
                    + why);
        }

        @Override
        public boolean isRetryable() {
            return false;
        }
    }

    /** For tests and docs: the refused built-ins as name/arity. */
    static List<String> refusedNames() {
        return REFUSED.keySet().stream().map(k -> k.getName() + "/" + k.getNumArgs()).sorted().toList();
    }
}
