package io.flotilla.machine;

import java.util.List;

/**
 * A NUMA node: a memory controller, the memory behind it (0 for a node without RAM) and the cores closest to it.
 *
 * @param cores ascending core ids
 */
public record NumaNode(int id, long memoryBytes, List<Integer> cores) {

    public NumaNode {
        cores = List.copyOf(cores);
    }
}
