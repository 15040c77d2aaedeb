package io.flotilla.experiments.runner;

/**
 * The bounds every experiment file is held to before anything is allocated for it, so that a hostile or mistyped
 * file is refused with a positioned message instead of exhausting the heap or the clock. Generous for real work:
 * the shipped files are a few kilobytes and sweep at most a few dozen core counts. Documented in
 * {@code docs/experiments.md} ("Limits").
 */
final class InputLimits {

    /** The largest experiment file read, in bytes: a file is read no further than this (and one byte more). */
    static final int MAX_FILE_BYTES = 1 << 20;
    /** The longest single string value (a description or notes), in characters. */
    static final int MAX_STRING_CHARS = 64 * 1024;
    /** How deeply mappings and lists may nest; an experiment file needs four levels. */
    static final int MAX_NESTING = 32;
    /** The most core counts one sweep may name (a range is counted before it is expanded). */
    static final int MAX_CORE_COUNTS = 4096;
    /** The largest core count (the biggest shipped machine has 1024 cores). */
    static final int MAX_CORES = 1 << 16;
    /** The most points (machines x series x core counts x repetitions) one run may measure. */
    static final long MAX_POINTS = 100_000;
    /** The largest magnitude of a whole-number parameter (rounds, operations, cycles of work). */
    static final long MAX_PARAMETER = 10_000_000;
    /** The longest text parameter. */
    static final int MAX_PARAMETER_CHARS = 256;

    private InputLimits() {}
}
