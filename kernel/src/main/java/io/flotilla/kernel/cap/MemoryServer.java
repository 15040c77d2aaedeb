package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hands out RAM capabilities per NUMA node, as Barrelfish's {@code mem_serv} does: blocks of a power-of-two size,
 * naturally aligned, from the first node in the caller's preference order (closest first, as the SKB answers) that
 * has room, then from the others in node order.
 *
 * <p>The server holds one boot RAM capability per region and allocates by retyping it. It keeps no free list of its
 * own: the derivation tree already knows which parts of a region have live descendants, and retype refuses to
 * overlap them, so the same memory cannot be handed out twice while any copy of it lives. Once the last copy of a
 * block is deleted, its memory is free again.
 */
public final class MemoryServer {

    /** The slot the server retypes into before passing a block on. */
    private static final CapAddress SCRATCH = CapAddress.of(0, CapAddress.L2_SLOTS - 1);

    private final CSpace own;
    private final List<MemoryRegion> regions;

    /**
     * @param store the store of the core the server runs on
     * @param regions the RAM to manage; regions may not overlap; at most 255
     */
    public MemoryServer(CapabilityStore store, List<MemoryRegion> regions) {
        if (regions.size() >= CapAddress.L2_SLOTS) {
            throw new IllegalArgumentException("at most " + (CapAddress.L2_SLOTS - 1) + " regions: " + regions.size());
        }
        this.own = store.createCSpace("mem_serv", 1);
        this.regions = List.copyOf(regions);
        for (int i = 0; i < this.regions.size(); i++) {
            MemoryRegion r = this.regions.get(i);
            store.createBoot(own, CapAddress.of(0, i), CapType.RAM, r.base(), r.size());
        }
    }

    /** The NUMA nodes the server has memory on, ascending. */
    public Set<Integer> nodes() {
        Set<Integer> nodes = new TreeSet<>();
        regions.forEach(r -> nodes.add(r.node()));
        return nodes;
    }

    /**
     * Retypes a fresh RAM block of at least {@code bytes} (rounded up to a power of two, at least a page) and places
     * its only capability in {@code dest} of {@code client}.
     *
     * @param nodePreference nodes to try first, in order; the rest follow in node order
     * @return the node, base and size of the block
     * @throws CapabilityException OUT_OF_MEMORY if no node has room; BAD_SIZE for a size below 1; SLOT_OCCUPIED etc.
     *     for a bad destination
     */
    public synchronized Grant allocate(long bytes, List<Integer> nodePreference, CSpace client, CapAddress dest) {
        if (bytes < 1 || bytes > Long.highestOneBit(Long.MAX_VALUE)) {
            throw new CapabilityException(CapabilityException.Kind.BAD_SIZE, "cannot allocate " + bytes + " bytes");
        }
        long size = Math.max(CapType.Sizes.PAGE, Long.highestOneBit(bytes - 1) << 1);
        for (int node : order(nodePreference)) {
            for (int i = 0; i < regions.size(); i++) {
                MemoryRegion r = regions.get(i);
                if (r.node() != node) {
                    continue;
                }
                long offset = firstFit(i, r, size);
                if (offset >= 0) {
                    hand(i, offset, size, client, dest);
                    return new Grant(node, r.base() + offset, size);
                }
            }
        }
        throw new CapabilityException(CapabilityException.Kind.OUT_OF_MEMORY, "no node has a free block of "
                + size + " bytes");
    }

    /** A block handed out. */
    public record Grant(int node, long base, long size) {}

    private List<Integer> order(List<Integer> preference) {
        Set<Integer> order = new LinkedHashSet<>(preference);
        order.addAll(nodes());
        order.retainAll(nodes());
        return new ArrayList<>(order);
    }

    /** The lowest offset of a naturally aligned free block of {@code size} in region {@code i}, or -1. */
    private long firstFit(int i, MemoryRegion r, long size) {
        List<CapIdentity> used = new ArrayList<>(own.children(CapAddress.of(0, i)));
        used.sort(Comparator.comparingLong(CapIdentity::base));
        long candidate = alignUp(r.base(), size);
        for (CapIdentity u : used) {
            if (candidate + size <= u.base()) {
                break;
            }
            if (u.base() + u.size() > candidate) {
                candidate = alignUp(u.base() + u.size(), size);
            }
        }
        return candidate + size <= r.base() + r.size() ? candidate - r.base() : -1;
    }

    private static long alignUp(long x, long align) {
        return (x + align - 1) / align * align;
    }

    private void hand(int region, long offset, long size, CSpace client, CapAddress dest) {
        own.retype(CapAddress.of(0, region), offset, CapType.RAM, size, 1, SCRATCH);
        try {
            own.copyTo(SCRATCH, client, dest);
        } finally {
            // Whether or not the client got it, the server keeps no copy: the block lives exactly as long as the
            // client's copies do.
            own.delete(SCRATCH);
        }
    }
}
