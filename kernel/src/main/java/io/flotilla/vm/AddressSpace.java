package io.flotilla.vm;

import io.flotilla.kernel.cap.CSpace;
import io.flotilla.kernel.cap.CapAddress;
import io.flotilla.kernel.cap.CapIdentity;
import io.flotilla.kernel.cap.CapType;
import io.flotilla.cap.CapabilityException;
import io.flotilla.kernel.cap.Right;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Tlb;
import java.util.Objects;

/**
 * A virtual address space built, as Barrelfish's user-level paging library builds one, out of capabilities: four
 * levels of x86-64 page tables, each a VNode capability retyped from RAM the address space was given, mapping
 * Frame capabilities the caller holds. Nothing is mapped that the caller could not name in its CSpace, and a
 * mapping carries no more rights than the frame copy it was made from.
 *
 * <p>Translations are cached per core in the modelled {@link Tlb} of the dispatcher that accesses memory
 * ({@link #access}); {@link #unmap} removes the page-table entries at once, invalidates the caller's own TLB, and
 * asks a {@link TlbShootdown} to invalidate every other core that may cache them, finishing split-phase once all
 * have. Until that completes, another core may still hit a stale entry: that is the window a shootdown closes, and
 * {@link #access} models it faithfully (a TLB hit is not checked against the page table).
 *
 * <p>A page walk also checks that the frame capability behind the entry is still held: a revoked or deleted frame
 * stops translating at the next walk (Barrelfish deletes a frame's mappings with the capability).
 *
 * <p>Used from one core at a time (the address space's owner); the TLBs it fills are the accessing cores' own.
 */
public final class AddressSpace {

    public static final int PAGE_BITS = Tlb.PAGE_BITS;
    public static final long PAGE = Tlb.PAGE;
    private static final int ENTRIES = 512;
    private static final long CANONICAL = 1L << 48;
    private static final CapType[] LEVELS = {CapType.VNODE_X86_64_PML4, CapType.VNODE_X86_64_PDPT,
        CapType.VNODE_X86_64_PDIR, CapType.VNODE_X86_64_PTABLE};

    /** One page table: the VNode capability it lives in, and its entries (child tables, or leaves in a PTABLE). */
    private static final class Table {
        final CapAddress cap;
        final Object[] entries = new Object[ENTRIES];

        Table(CapAddress cap) {
            this.cap = cap;
        }
    }

    /** A leaf entry: the frame capability it maps, the physical page, and what it allows. */
    private record Leaf(CapAddress frame, long paddr, boolean writable) {}

    private final CSpace cspace;
    private final int asid;
    private final CapAddress tableRam;
    private final long tableRamSize;
    private final CapAddress firstSlot;
    private final int slots;
    private long tableRamUsed;
    private int slotsUsed;
    private final Table root;
    private long mappedPages;

    /**
     * Makes an address space whose page tables are retyped from the RAM capability at {@code tableRam} (held with
     * WRITE) and placed in {@code slots} consecutive CSpace slots from {@code firstSlot}; the PML4 is made at once.
     *
     * @param asid the address-space id that tags its TLB entries (0..65535)
     */
    public AddressSpace(CSpace cspace, int asid, CapAddress tableRam, CapAddress firstSlot, int slots) {
        this.cspace = Objects.requireNonNull(cspace, "cspace");
        if (asid < 0 || asid > 0xffff) {
            throw new IllegalArgumentException("an address-space id is 16 bits: " + asid);
        }
        if (slots < 1 || firstSlot.l2() + slots > CapAddress.L2_SLOTS) {
            throw new IllegalArgumentException(slots + " slots from " + firstSlot + " do not fit in one CNode");
        }
        this.asid = asid;
        this.tableRam = tableRam;
        this.tableRamSize = cspace.invoke(tableRam, CapType.RAM, Right.WRITE).size();
        this.firstSlot = firstSlot;
        this.slots = slots;
        this.root = newTable(0);
    }

    public int asid() {
        return asid;
    }

    /** Pages mapped now. */
    public long mappedPages() {
        return mappedPages;
    }

    /** Page tables made so far, the PML4 included. */
    public int tables() {
        return slotsUsed;
    }

    /**
     * Maps {@code bytes} of the frame at {@code frame}, from {@code offset} into it, at {@code vaddr}; writable if
     * {@code writable} (the frame copy must then carry WRITE; READ is needed always). Checks everything before it
     * changes anything, apart from page tables it had to make, which stay for later mappings.
     */
    public void map(long vaddr, CapAddress frame, long offset, long bytes, boolean writable) {
        checkRange(vaddr, bytes);
        if (offset < 0 || offset % PAGE != 0) {
            throw new VmException(VmException.Kind.NOT_ALIGNED, "frame offset " + offset + " is not page aligned");
        }
        CapIdentity id = frameIdentity(frame, Right.READ);
        if (writable) {
            frameIdentity(frame, Right.WRITE);
        }
        if (offset + bytes > id.size()) {
            throw new VmException(VmException.Kind.OUT_OF_RANGE, "mapping " + bytes + " bytes from offset " + offset
                    + " runs past the " + id.size() + "-byte frame at " + frame);
        }
        long pages = bytes / PAGE;
        for (long p = 0; p < pages; p++) {
            if (leaf(vaddr + p * PAGE) != null) {
                throw new VmException(VmException.Kind.ALREADY_MAPPED, String.format("0x%x is mapped already",
                        vaddr + p * PAGE));
            }
        }
        for (long p = 0; p < pages; p++) {
            long va = vaddr + p * PAGE;
            Table pt = walk(va, true);
            pt.entries[index(va, 3)] = new Leaf(frame, id.base() + offset + p * PAGE, writable);
        }
        mappedPages += pages;
    }

    /** The physical address {@code vaddr} maps to by a page walk (no TLB), or -1. */
    public long translate(long vaddr) {
        Leaf l = liveLeaf(vaddr);
        return l == null ? -1 : l.paddr() | (vaddr & (PAGE - 1));
    }

    /**
     * An access by {@code by} to {@code vaddr}: through {@code by}'s core's TLB, walking the page table on a miss and
     * caching the result. Returns the physical address.
     *
     * @throws VmException NOT_MAPPED (a page fault) or PROTECTION (a write to a read-only page)
     */
    public long access(Dispatcher by, long vaddr, boolean write) {
        Tlb tlb = by.tlb();
        long pte = tlb.lookup(asid, vaddr);
        if (pte < 0) {
            Leaf l = liveLeaf(vaddr);
            if (l == null) {
                throw new VmException(VmException.Kind.NOT_MAPPED, String.format("page fault at 0x%x on core %d",
                        vaddr, by.core()));
            }
            pte = l.paddr() | (l.writable() ? 1 : 0);
            tlb.fill(asid, vaddr, pte);
        }
        if (write && (pte & 1) == 0) {
            throw new VmException(VmException.Kind.PROTECTION, String.format("write to read-only 0x%x on core %d",
                    vaddr, by.core()));
        }
        return (pte & ~(PAGE - 1)) | (vaddr & (PAGE - 1));
    }

    /**
     * Unmaps {@code pages} pages from {@code vaddr}: removes the entries, invalidates {@code caller}'s TLB (charging
     * the modelled cost), then has {@code shootdown} invalidate the TLBs of {@code otherCores}; {@code done} runs on
     * the caller's core when every core has. Refused, with nothing changed, if any page in the range is unmapped.
     */
    public void unmap(Dispatcher caller, long vaddr, long pages, TlbShootdown shootdown, int[] otherCores,
            Runnable done) {
        checkRange(vaddr, pages * PAGE);
        for (long p = 0; p < pages; p++) {
            if (leaf(vaddr + p * PAGE) == null) {
                throw new VmException(VmException.Kind.NOT_MAPPED, String.format("0x%x is not mapped",
                        vaddr + p * PAGE));
            }
        }
        for (long p = 0; p < pages; p++) {
            long va = vaddr + p * PAGE;
            walk(va, false).entries[index(va, 3)] = null;
        }
        mappedPages -= pages;
        caller.tlb().invalidate(asid, vaddr, pages);
        caller.invalidateTlb(pages);
        if (otherCores.length == 0) {
            done.run();
        } else {
            shootdown.shootdown(caller, asid, vaddr, pages, otherCores.clone(), done);
        }
    }

    // ---- page tables ---------------------------------------------------------------------------------------

    private Leaf leaf(long vaddr) {
        Table pt = walk(vaddr, false);
        return pt == null ? null : (Leaf) pt.entries[index(vaddr, 3)];
    }

    /** The leaf for {@code vaddr} if its frame capability is still held, else null. */
    private Leaf liveLeaf(long vaddr) {
        if (vaddr < 0 || vaddr >= CANONICAL) {
            return null;
        }
        Leaf l = leaf(vaddr);
        if (l == null) {
            return null;
        }
        try {
            frameIdentity(l.frame(), Right.READ);
            return l;
        } catch (CapabilityException gone) {
            return null;
        }
    }

    /** The PTABLE covering {@code vaddr}, making missing tables on the way if {@code make}; null if absent. */
    private Table walk(long vaddr, boolean make) {
        Table t = root;
        for (int level = 0; level < 3; level++) {
            int i = index(vaddr, level);
            Table next = (Table) t.entries[i];
            if (next == null) {
                if (!make) {
                    return null;
                }
                next = newTable(level + 1);
                t.entries[i] = next;
            }
            t = next;
        }
        return t;
    }

    private Table newTable(int level) {
        if (slotsUsed == slots) {
            throw new VmException(VmException.Kind.NO_TABLE_MEMORY, "all " + slots + " slots for page tables are used");
        }
        if (tableRamUsed + PAGE > tableRamSize) {
            throw new VmException(VmException.Kind.NO_TABLE_MEMORY, "the " + tableRamSize
                    + "-byte RAM for page tables is used up");
        }
        CapAddress at = firstSlot.plus(slotsUsed);
        cspace.retype(tableRam, tableRamUsed, LEVELS[level], PAGE, 1, at);
        slotsUsed++;
        tableRamUsed += PAGE;
        return new Table(at);
    }

    private CapIdentity frameIdentity(CapAddress frame, Right right) {
        try {
            return cspace.invoke(frame, CapType.FRAME, right);
        } catch (CapabilityException e) {
            if (e.kind() != CapabilityException.Kind.WRONG_TYPE) {
                throw e;
            }
            return cspace.invoke(frame, CapType.DEV_FRAME, right);
        }
    }

    private static int index(long vaddr, int level) {
        return (int) (vaddr >>> (PAGE_BITS + 9 * (3 - level))) & (ENTRIES - 1);
    }

    private static void checkRange(long vaddr, long bytes) {
        if (vaddr % PAGE != 0 || bytes <= 0 || bytes % PAGE != 0) {
            throw new VmException(VmException.Kind.NOT_ALIGNED, String.format(
                    "0x%x + %d bytes is not a whole number of pages", vaddr, bytes));
        }
        if (vaddr < 0 || vaddr + bytes > CANONICAL) {
            throw new VmException(VmException.Kind.NOT_ALIGNED, String.format(
                    "0x%x + %d bytes leaves the 48-bit address space", vaddr, bytes));
        }
    }
}
