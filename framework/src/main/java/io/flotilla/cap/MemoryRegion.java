package io.flotilla.cap;

/** A range of RAM on one NUMA node: what the memory server is built from. */
public record MemoryRegion(int node, long base, long size) {

    public MemoryRegion {
        if (node < 0 || base < 0 || size <= 0 || base % CapType.Sizes.PAGE != 0 || size % CapType.Sizes.PAGE != 0) {
            throw new IllegalArgumentException("a memory region needs a node >= 0 and a page-aligned base and size: "
                    + node + ", " + base + ", " + size);
        }
    }
}
