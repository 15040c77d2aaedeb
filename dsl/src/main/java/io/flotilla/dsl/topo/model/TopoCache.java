package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;

/**
 * One cache instance and the cores that share it.
 *
 * @param name the level as written: {@code L1d}, {@code L1i}, {@code L2}, ...
 * @param type 'd' data, 'i' instruction, 'u' unified
 * @param associativity ways, 0 when not given
 * @param latency cycles for a transfer between two cores that meet in this cache
 * @param cores ascending core ids
 */
public record TopoCache(String name, int level, char type, long sizeBytes, int lineBytes, int associativity,
        long latency, List<Integer> cores, SourcePos pos) {

    public TopoCache {
        cores = List.copyOf(cores);
    }
}
