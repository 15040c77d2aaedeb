package io.flotilla.dsl.iface;

/**
 * Sizes the language accepts. They keep generated code and frames reasonable and keep hostile input from making
 * the code generator (or anything that walks the model recursively) blow up; real interfaces stay far below.
 */
final class Limits {

    /** Largest {@code max} of {@code String s[max]} and {@code T a[len, max]}: 2^24. */
    static final long MAX_BOUND = 1L << 24;
    /** Largest {@code N} of {@code typedef T name[N]}. */
    static final long MAX_FIXED_ARRAY = 4096;
    /** Most wire messages per interface; an rpc is two (call and response). */
    static final int MAX_WIRE_MESSAGES = 65_000;
    /** Most fields of a struct once nested structs are expanded (a fixed array counts as one field). */
    static final long MAX_FLAT_FIELDS = 1024;
    /** Deepest type nesting (an alias of an alias, a struct in a struct, an array of structs, ...). */
    static final int MAX_TYPE_DEPTH = 100;
    /** Largest input file. */
    static final int MAX_FILE_BYTES = 16 << 20;

    private Limits() {}
}
