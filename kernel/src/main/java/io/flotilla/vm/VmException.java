package io.flotilla.vm;

/** A virtual-memory operation refused, with why as a {@link Kind}. Capability errors stay {@code CapabilityException}s. */
public final class VmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** An address or length that is not a whole number of pages, or outside the 48-bit canonical range. */
        NOT_ALIGNED,
        /** A page in the range is mapped already. */
        ALREADY_MAPPED,
        /** A page in the range is not mapped (unmap), or an access found no translation (a page fault). */
        NOT_MAPPED,
        /** An access the mapping's rights do not allow (a protection fault). */
        PROTECTION,
        /** The range runs past the end of the frame being mapped. */
        OUT_OF_RANGE,
        /** The page-table memory or the slots given to the address space are used up. */
        NO_TABLE_MEMORY
    }

    private final Kind kind;

    public VmException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
