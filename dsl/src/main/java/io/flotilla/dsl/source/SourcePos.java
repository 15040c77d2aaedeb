package io.flotilla.dsl.source;

/**
 * A position in a source file: 1-based line, 1-based column (in characters, tabs count as one).
 *
 * <p>Every node of every model the front ends build carries one, so that any later stage (semantic checks, the
 * code generator's renaming warnings) can point the user at the exact place in their file.
 */
public record SourcePos(String file, int line, int column) {

    /** The position used for things that have no place in a file, such as builtin types. */
    public static final SourcePos NONE = new SourcePos("<builtin>", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
