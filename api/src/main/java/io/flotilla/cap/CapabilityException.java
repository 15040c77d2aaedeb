package io.flotilla.cap;

/**
 * A refused capability operation. The {@link Kind} says why, so callers (and tests) branch on the reason, not on
 * the message. A refused operation changes nothing.
 */
public final class CapabilityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an operation was refused. */
    public enum Kind {
        /** The address names an empty slot, or lies outside the caller's CSpace. */
        NOT_HELD,
        /** The slot held a capability that a revoke of one of its relatives deleted. */
        REVOKED,
        /** The copy lacks a right the operation needs, or a mint asked for rights the source does not have. */
        NO_RIGHTS,
        /** The capability is of a type the operation does not accept (including an illegal retype pair). */
        WRONG_TYPE,
        /** A retype would overlap a live descendant of the same memory. */
        OVERLAP,
        /** An object size the target type does not allow. */
        BAD_SIZE,
        /** An offset not aligned as the target type needs. */
        BAD_ALIGNMENT,
        /** A count below 1, or objects that run past the end of the source. */
        OUT_OF_RANGE,
        /** A destination slot already holds a capability. */
        SLOT_OCCUPIED,
        /** A malformed address: a level where another is needed, or slots past the end of a CNode. */
        BAD_ADDRESS,
        /** A reference made by another core's store, or a CSpace of another store. */
        FOREIGN_STORE,
        /** The operation involves other cores and needs an agreement through the monitors. */
        REMOTE_REQUIRED,
        /** The memory server has no free region large enough. */
        OUT_OF_MEMORY
    }

    private final Kind kind;

    public CapabilityException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
