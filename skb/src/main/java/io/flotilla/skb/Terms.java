package io.flotilla.skb;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.projog.core.term.DecimalFraction;
import org.projog.core.term.IntegerNumber;
import org.projog.core.term.Term;
import org.projog.core.term.TermType;

/** Projog terms to Java values ({@link SkbTerm}), and Java values back to Prolog text. */
final class Terms {

    private static final Set<String> INFIX = Set.of("-", "+", "*", "/", ":", "=", "^");

    private Terms() {}

    static Object toJava(Term term) {
        Term t = term.getTerm();
        switch (t.getType()) {
            case INTEGER:
                return ((IntegerNumber) t).getLong();
            case FRACTION:
                return ((DecimalFraction) t).getDouble();
            case ATOM:
                return t.getName();
            case EMPTY_LIST:
                return List.of();
            case LIST: {
                List<Object> out = new ArrayList<>();
                Term at = t;
                // Iterative: a list of a million elements must not overflow the stack.
                while (at.getType() == TermType.LIST) {
                    out.add(toJava(at.getArgument(0)));
                    at = at.getArgument(1).getTerm();
                }
                if (at.getType() != TermType.EMPTY_LIST) {
                    return new SkbTerm.Compound("'[|]'", List.of(out, toJava(at)));
                }
                return out;
            }
            case STRUCTURE: {
                List<Object> args = new ArrayList<>();
                for (int i = 0; i < t.getNumberOfArguments(); i++) {
                    args.add(toJava(t.getArgument(i)));
                }
                return new SkbTerm.Compound(t.getName(), args);
            }
            default:
                return new SkbTerm.Unbound("_");
        }
    }

    /** Prolog text for a Java value from {@link #toJava(Term)}, lists and arguments separated by ", ". */
    static String format(Object value) {
        if (value instanceof String atom) {
            return quoteAtom(atom);
        } else if (value instanceof List<?> list) {
            return list.stream().map(Terms::format).collect(Collectors.joining(", ", "[", "]"));
        } else if (value instanceof SkbTerm.Compound c) {
            if (c.args().size() == 2 && INFIX.contains(c.functor())) {
                return format(c.args().get(0)) + c.functor() + format(c.args().get(1));
            }
            return quoteAtom(c.functor()) + c.args().stream().map(Terms::format)
                    .collect(Collectors.joining(", ", "(", ")"));
        } else if (value instanceof SkbTerm.Unbound u) {
            return u.name();
        }
        return String.valueOf(value);
    }

    /** An atom as Prolog source: bare when it may be, else in single quotes. */
    static String quoteAtom(String atom) {
        if (atom.matches("[a-z][a-zA-Z0-9_]*") || atom.equals("[]") || atom.matches("[-+*/\\\\^<>=~:.?@#&$]+")) {
            return atom;
        }
        return "'" + atom.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The first line of an engine error, without the engine's class names. */
    static String describe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
