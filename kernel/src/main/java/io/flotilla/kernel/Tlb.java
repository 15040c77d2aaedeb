package io.flotilla.kernel;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One core's modelled translation look-aside buffer: recent translations of (address space, virtual page) to a
 * page-table entry, filled by page walks and emptied only by invalidation or eviction. It is what makes unmap need a
 * shootdown: a translation cached here keeps working after the page table no longer has it, until this core
 * invalidates it.
 *
 * <p>First in, first out when full ({@value #DEFAULT_ENTRIES} entries by default, the size of the paper's Opterons'
 * L1 data TLB); deterministic, since a {@link LinkedHashMap} iterates in insertion order. Touched only by its own
 * core.
 */
public final class Tlb {

    /** The page size the TLB translates (4 KiB, x86-64's base page), as a shift. */
    public static final int PAGE_BITS = 12;
    /** The page size the TLB translates, in bytes. */
    public static final long PAGE = 1L << PAGE_BITS;


    public static final int DEFAULT_ENTRIES = 48;

    private final int capacity;
    private final LinkedHashMap<Long, Long> entries;
    private long hits;
    private long misses;
    private long invalidations;

    public Tlb() {
        this(DEFAULT_ENTRIES);
    }

    public Tlb(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a TLB needs at least one entry: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(capacity * 2);
    }

    /** The cached entry for {@code vaddr}'s page in address space {@code asid}, or -1 (a miss). */
    public long lookup(int asid, long vaddr) {
        Long pte = entries.get(key(asid, vaddr));
        if (pte == null) {
            misses++;
            return -1;
        }
        hits++;
        return pte;
    }

    /** Caches {@code pte} for {@code vaddr}'s page after a walk, evicting the oldest entry when full. */
    public void fill(int asid, long vaddr, long pte) {
        Long k = key(asid, vaddr);
        if (!entries.containsKey(k) && entries.size() == capacity) {
            Iterator<Map.Entry<Long, Long>> oldest = entries.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(k, pte);
    }

    /** Drops the translations of {@code pages} pages from {@code vaddr}; returns how many were cached. */
    public int invalidate(int asid, long vaddr, long pages) {
        int dropped = 0;
        for (long p = 0; p < pages; p++) {
            if (entries.remove(key(asid, vaddr + p * PAGE)) != null) {
                dropped++;
            }
        }
        invalidations += pages;
        return dropped;
    }

    /** Whether a translation of {@code vaddr}'s page is cached (no statistics). */
    public boolean holds(int asid, long vaddr) {
        return entries.containsKey(key(asid, vaddr));
    }

    public int size() {
        return entries.size();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long invalidations() {
        return invalidations;
    }

    /** 16 bits of address-space id over the 48-bit virtual page number (x86-64 canonical addresses). */
    private static Long key(int asid, long vaddr) {
        return ((long) (asid & 0xffff) << 48) | ((vaddr >>> PAGE_BITS) & ((1L << 36) - 1));
    }
}
