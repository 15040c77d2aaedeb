package io.flotilla.kernel.cap;

import java.util.EnumSet;
import java.util.Set;

/**
 * The capability types and Barrelfish's retype rules for them (digest §5.2, {@code caps.hl} and
 * {@code caps_retype}): which type may be made from which, and the sizes an object of each type may have.
 *
 * <p>Sizes are in bytes for memory types and in vectors for {@link #IRQ_SRC}. A type either has one fixed size
 * (page-table pages, L2 CNodes, dispatchers) or any positive multiple of a granule (4 KiB for everything that can be
 * mapped, so a page table can map it; 16 KiB for L1 CNodes, whole L2 CNodes).
 */
public enum CapType {
    /** A physical address range: the root of all memory, given out at boot. Whoever holds it says where RAM is. */
    PHYS_ADDR(true, 0, Sizes.PAGE),
    /** Usable memory, not yet typed. */
    RAM(true, 0, Sizes.PAGE),
    /** Zeroed memory that can be mapped. */
    FRAME(true, 0, Sizes.PAGE),
    /** Device memory that can be mapped; not zeroed, made from PhysAddr, never from RAM. */
    DEV_FRAME(true, 0, Sizes.PAGE),
    /** A resizable root CNode: a multiple of 16 KiB of 64-byte slots. */
    L1_CNODE(true, 0, Sizes.L2_CNODE),
    /** A leaf CNode of exactly 256 slots. */
    L2_CNODE(true, Sizes.L2_CNODE, Sizes.L2_CNODE),
    /** x86-64 page-map level 4: the root page table. */
    VNODE_X86_64_PML4(true, Sizes.PAGE, Sizes.PAGE),
    /** x86-64 page-directory-pointer table. */
    VNODE_X86_64_PDPT(true, Sizes.PAGE, Sizes.PAGE),
    /** x86-64 page directory. */
    VNODE_X86_64_PDIR(true, Sizes.PAGE, Sizes.PAGE),
    /** x86-64 page table: the level that maps 4 KiB frames. */
    VNODE_X86_64_PTABLE(true, Sizes.PAGE, Sizes.PAGE),
    /** A dispatcher control block. */
    DISPATCHER(true, Sizes.DISPATCHER, Sizes.DISPATCHER),
    /** A local (LMP) endpoint into a dispatcher; carries no memory of its own, and stays on its core. */
    END_POINT_LMP(false, 0, 0),
    /** A memory-backed (UMP) endpoint. */
    END_POINT_UMP(true, 0, Sizes.PAGE),
    /** The state of one CPU driver. */
    KERNEL_CONTROL_BLOCK(true, Sizes.KCB, Sizes.KCB),
    /** A range of interrupt vectors; may be split into smaller ranges. */
    IRQ_SRC(false, 0, 1);

    /** Sizes Barrelfish fixes for x86-64. */
    public static final class Sizes {
        public static final long PAGE = 4096;
        public static final long L2_CNODE = 256 * 64;
        public static final long DISPATCHER = 1024;
        public static final long KCB = 128 * 1024;

        private Sizes() {}
    }

    private final boolean memory;
    private final long fixedSize;
    private final long granule;

    CapType(boolean memory, long fixedSize, long granule) {
        this.memory = memory;
        this.fixedSize = fixedSize;
        this.granule = granule;
    }

    /** True for types that cover physical memory: their ranges must never overlap unless one derives from the other. */
    public boolean isMemory() {
        return memory;
    }

    public boolean isVNode() {
        return this == VNODE_X86_64_PML4 || this == VNODE_X86_64_PDPT || this == VNODE_X86_64_PDIR
                || this == VNODE_X86_64_PTABLE;
    }

    public boolean isCNode() {
        return this == L1_CNODE || this == L2_CNODE;
    }

    /** The types a capability of this type may be retyped into (the {@code from} relation, read backwards). */
    public Set<CapType> retypeTargets() {
        EnumSet<CapType> targets = EnumSet.noneOf(CapType.class);
        for (CapType t : values()) {
            if (t.derivableFrom(this)) {
                targets.add(t);
            }
        }
        return targets;
    }

    /** Whether an object of this type may be made by retyping a {@code source}. */
    public boolean derivableFrom(CapType source) {
        return switch (this) {
            case PHYS_ADDR -> source == PHYS_ADDR;
            case RAM -> source == PHYS_ADDR || source == RAM;
            case FRAME -> source == RAM || source == FRAME;
            case DEV_FRAME -> source == PHYS_ADDR || source == DEV_FRAME;
            case L1_CNODE, L2_CNODE, VNODE_X86_64_PML4, VNODE_X86_64_PDPT, VNODE_X86_64_PDIR,
                    VNODE_X86_64_PTABLE, DISPATCHER, END_POINT_UMP, KERNEL_CONTROL_BLOCK -> source == RAM;
            case END_POINT_LMP -> source == DISPATCHER;
            case IRQ_SRC -> source == IRQ_SRC;
        };
    }

    /** The one size objects of this type have, or 0 if the size is chosen at retype. */
    public long fixedSize() {
        return fixedSize;
    }

    /** Whether {@code size} is a legal object size for this type. */
    public boolean sizeAllowed(long size) {
        if (this == END_POINT_LMP) {
            return size == 0;
        }
        if (fixedSize != 0) {
            return size == fixedSize;
        }
        return size > 0 && size % granule == 0;
    }

    /**
     * The alignment the first object's offset needs: the smaller of 4 KiB and the object size for memory (rule 3 of
     * {@code caps_retype}), none for vector ranges and endpoints.
     */
    public long alignmentFor(long size) {
        return memory ? Math.min(Sizes.PAGE, size) : 1;
    }

    /**
     * Dispatcher to LMP endpoint is the one retype that may be repeated over the same range: endpoints carry no
     * memory, so they cannot overlap anything.
     */
    boolean overlapExempt(CapType source) {
        return this == END_POINT_LMP && source == DISPATCHER;
    }
}
