package io.flotilla.skb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.projog.api.Projog;
import org.projog.core.parser.ParserException;
import org.projog.core.parser.SentenceParser;
import org.projog.core.predicate.PredicateFactory;
import org.projog.core.predicate.PredicateKey;
import org.projog.core.predicate.UnknownPredicate;
import org.projog.core.term.Term;
import org.projog.core.term.TermType;
import org.projog.core.term.Variable;

/**
 * Checks a goal before it runs, because Prolog's own answer to most mistakes is a silent "no": a syntax error is
 * reported with its column, and a call to a predicate that is neither a fact, a rule nor a built-in is reported
 * by name (with the arities that do exist), instead of failing as if the SKB knew the answer to be no.
 */
final class GoalChecker {

    /** A goal ready to run: the sentence with its final '.', and its named variables in order. */
    record Checked(String sentence, List<String> variables) {}

    private final Projog projog;

    GoalChecker(Projog projog) {
        this.projog = projog;
    }

    Checked check(String goal) {
        String text = goal.strip();
        if (text.isEmpty()) {
            throw new SkbQueryException("empty goal", 1);
        }
        if (text.length() > 100_000) {
            throw new SkbQueryException("goal too long (" + text.length() + " characters)", 1);
        }
        String sentence = text.endsWith(".") ? text : text + ".";
        SentenceParser parser = SentenceParser.getInstance(sentence, projog.getKnowledgeBase().getOperands());
        Term term;
        Map<String, Variable> variables;
        try {
            term = parser.parseSentence();
            variables = parser.getParsedTermVariables();
            if (parser.hasNext()) {
                throw new SkbQueryException("a goal is one term: there is more after its '.'", 0);
            }
        } catch (ParserException e) {
            int column = e.getColumnNumber() + 1; // Projog counts from 0
            throw new SkbQueryException("syntax error in goal at column " + column + ": " + headline(e), column);
        } catch (StackOverflowError e) {
            throw new SkbQueryException("syntax error in goal: nested too deeply", 0);
        } catch (RuntimeException e) {
            throw new SkbQueryException("syntax error in goal: " + Terms.describe(e), 0);
        }
        if (term == null) {
            throw new SkbQueryException("empty goal", 1);
        }
        callable(term, 0);
        List<String> names = new ArrayList<>();
        for (String name : variables.keySet()) {
            if (!name.startsWith("_")) {
                names.add(name);
            }
        }
        // The parser keeps variables in a hash map; show them in the order the goal names them.
        names.sort(java.util.Comparator.comparingInt(name -> firstUse(sentence, name)));
        return new Checked(sentence, names);
    }

    private static int firstUse(String goal, String variable) {
        var m = java.util.regex.Pattern.compile("(?<![A-Za-z0-9_])" + java.util.regex.Pattern.quote(variable)
                + "(?![A-Za-z0-9_])").matcher(goal);
        return m.find() ? m.start() : Integer.MAX_VALUE;
    }

    private static String headline(ParserException e) {
        String m = Terms.describe(e);
        int line = m.indexOf(" Line:");
        return line < 0 ? m : m.substring(0, line);
    }

    /** Walks the control constructs down to the predicates the goal calls, and checks each is defined. */
    private void callable(Term goal, int depth) {
        Term t = goal.getTerm();
        if (depth > 10_000 || t.getType() == TermType.VARIABLE) {
            return;
        }
        if (t.getType() != TermType.ATOM && t.getType() != TermType.STRUCTURE) {
            throw new SkbQueryException("not a callable goal: " + Terms.format(Terms.toJava(t)), 0);
        }
        String name = t.getName();
        int arity = t.getNumberOfArguments();
        if ((name.equals(",") || name.equals(";") || name.equals("->")) && arity == 2) {
            callable(t.getArgument(0), depth + 1);
            callable(t.getArgument(1), depth + 1);
            return;
        }
        if ((name.equals("\\+") || name.equals("not") || name.equals("once") || name.equals("call")) && arity == 1) {
            callable(t.getArgument(0), depth + 1);
            return;
        }
        if ((name.equals("findall") || name.equals("bagof") || name.equals("setof")) && arity == 3) {
            Term inner = t.getArgument(1).getTerm();
            while (inner.getType() == TermType.STRUCTURE && inner.getName().equals("^")
                    && inner.getNumberOfArguments() == 2) {
                inner = inner.getArgument(1).getTerm();
            }
            callable(inner, depth + 1);
        }
        PredicateKey key = PredicateKey.createForTerm(t);
        PredicateFactory factory = projog.getKnowledgeBase().getPredicates().getPredicateFactory(key);
        if (factory instanceof UnknownPredicate) {
            Set<String> others = new TreeSet<>();
            for (PredicateKey k : projog.getKnowledgeBase().getPredicates().getAllDefinedPredicateKeys()) {
                if (k.getName().equals(name)) {
                    others.add(name + "/" + k.getNumArgs());
                }
            }
            throw new SkbQueryException("unknown predicate " + name + "/" + arity
                    + (others.isEmpty() ? "" : " (there is " + String.join(", ", others) + ")"), 0);
        }
    }
}
