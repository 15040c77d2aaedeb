package io.flotilla.skb;

import java.util.List;

/**
 * Prolog terms as Java values, for query results: integers are {@link Long}, decimals {@link Double}, atoms
 * {@link String}, lists {@link java.util.List}; the two kinds below are everything else.
 */
public sealed interface SkbTerm {

    /** A compound term {@code functor(args...)}, e.g. {@code sendto(0, 4)}. */
    record Compound(String functor, List<Object> args) implements SkbTerm {
        public Compound {
            args = List.copyOf(args);
        }
    }

    /** A variable left unbound by the solution. */
    record Unbound(String name) implements SkbTerm {}
}
