package io.flotilla.skb;

/** A query the SKB cannot run: a syntax error in the goal (with its column), or a call to an unknown predicate. */
public final class SkbQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int column;

    /** @param column 1-based column of the problem in the goal, or 0 when it has no place */
    public SkbQueryException(String message, int column) {
        super(message, null, false, false);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
