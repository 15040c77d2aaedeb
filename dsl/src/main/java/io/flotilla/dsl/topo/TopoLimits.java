package io.flotilla.dsl.topo;

/**
 * Sizes the topology language accepts. Real machines stay far below; the limits keep a hostile or mistyped file
 * ({@code for i in 0..4000000000}) from exhausting memory or running for ever.
 */
final class TopoLimits {

    static final int MAX_CORES = 1 << 16;
    /** Packages and NUMA nodes: the machine model keeps all-pairs tables of them. */
    static final int MAX_PACKAGES = 1 << 12;
    static final int MAX_NUMA_NODES = 1 << 12;
    static final int MAX_LINKS = 1 << 20;
    static final int MAX_MEASURED = 1 << 21;
    /**
     * Work budget: statements executed plus loop iterations (an empty-bodied loop still costs one per value; a
     * range is charged in full before its first value). Enough for the largest machine written with loops, and
     * small enough that a file that spends all of it is refused within a second or two.
     */
    static final long MAX_STEPS = 1L << 22;
    static final int MAX_FILE_BYTES = 16 << 20;
    /** Deepest nesting of expressions and blocks; deeper input is refused before anything recurses over it. */
    static final int MAX_NESTING = 200;

    private TopoLimits() {}
}
