package io.flotilla.kernel.cap;

import io.flotilla.machine.Machine;
import io.flotilla.machine.NumaNode;
import java.util.ArrayList;
import java.util.List;

/** A range of RAM on one NUMA node: what the memory server is built from. */
public record MemoryRegion(int node, long base, long size) {

    /**
     * The RAM of a machine's NUMA nodes as the memory server sees it: one region per node with memory, laid out in
     * node order from physical address 0 (the model has no holes), each rounded down to whole pages. Nodes without
     * RAM get no region.
     */
    public static List<MemoryRegion> of(Machine machine) {
        var regions = new ArrayList<MemoryRegion>();
        long base = 0;
        for (NumaNode n : machine.numaNodes()) {
            long size = n.memoryBytes() / CapType.Sizes.PAGE * CapType.Sizes.PAGE;
            if (size > 0) {
                regions.add(new MemoryRegion(n.id(), base, size));
                base += size;
            }
        }
        return regions;
    }

    public MemoryRegion {
        if (node < 0 || base < 0 || size <= 0 || base % CapType.Sizes.PAGE != 0 || size % CapType.Sizes.PAGE != 0) {
            throw new IllegalArgumentException("a memory region needs a node >= 0 and a page-aligned base and size: "
                    + node + ", " + base + ", " + size);
        }
    }
}
