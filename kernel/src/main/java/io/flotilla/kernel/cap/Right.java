package io.flotilla.kernel.cap;

/** One right a capability copy may carry (Barrelfish's {@code CAPRIGHTS_*} bits). */
public enum Right {
    /** Read the object's memory (map it readable). */
    READ,
    /** Write it, and reshape it: retype and revoke need this right. */
    WRITE,
    /** Map it executable. */
    EXECUTE,
    /** Hand a copy to another dispatcher. */
    GRANT,
    /** Learn the object's type, base and size. */
    IDENTIFY
}
