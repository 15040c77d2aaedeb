package io.flotilla.kernel.cap;

/**
 * What identify tells about a capability: its type, the range it covers (physical addresses for memory types,
 * vectors for {@link CapType#IRQ_SRC}), the rights of this copy and the core that owns its copy set.
 */
public record CapIdentity(CapType type, long base, long size, Rights rights, int owner) {

    /** True if the two ranges share at least one address; empty ranges overlap nothing. */
    public boolean overlaps(CapIdentity other) {
        return size > 0 && other.size > 0 && base < other.base + other.size && other.base < base + size;
    }
}
