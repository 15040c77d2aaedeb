package io.flotilla.machine;

import java.util.List;

/**
 * One cache instance and the cores that share it.
 *
 * @param name the level as written in the topology: {@code L1d}, {@code L1i}, {@code L2}, ...
 * @param type 'd' data, 'i' instruction, 'u' unified
 * @param associativity ways, 0 when unknown
 * @param latency cycles for a transfer between two cores that meet in this cache
 * @param cores ascending core ids
 */
public record Cache(String name, int level, char type, long sizeBytes, int lineBytes, int associativity,
        long latency, List<Integer> cores) {

    public Cache {
        cores = List.copyOf(cores);
    }

    /** Whether the core shares this cache. */
    public boolean contains(int core) {
        return java.util.Collections.binarySearch(cores, core) >= 0;
    }
}
