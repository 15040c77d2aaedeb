package io.flotilla.kernel.cap;

/**
 * A capability address in one dispatcher's {@link CSpace}, as in Barrelfish's two-level CSpace: a 24-bit index
 * into the root (L1) CNode and an 8-bit index into the L2 CNode found there. An address of level 1
 * ({@link #cnode}) names the L1 slot itself, that is the L2 CNode capability, so that a CSpace can be grown.
 *
 * <p>An address means something only in the CSpace it is used with: guessing another dispatcher's slot numbers
 * grants nothing, because the lookup never leaves the caller's own CSpace.
 */
public record CapAddress(int l1, int l2) {

    /** Slots in an L2 CNode: 16 KiB of 64-byte slots. */
    public static final int L2_SLOTS = 256;
    /** The largest L1 index: 24 bits. */
    public static final int MAX_L1 = (1 << 24) - 1;
    /** The {@link #l2} of a level-1 address. */
    public static final int LEVEL1 = -1;

    public CapAddress {
        if (l1 < 0 || l1 > MAX_L1 || l2 < LEVEL1 || l2 >= L2_SLOTS) {
            throw new IllegalArgumentException("capability address out of range: " + l1 + "/" + l2);
        }
    }

    /** Slot {@code l2} of the L2 CNode in L1 slot {@code l1}. */
    public static CapAddress of(int l1, int l2) {
        return new CapAddress(l1, l2);
    }

    /** The L1 slot {@code l1} itself: where an L2 CNode capability is installed. */
    public static CapAddress cnode(int l1) {
        return new CapAddress(l1, LEVEL1);
    }

    /** Unpacks Barrelfish's 32-bit form: L1 index in the high 24 bits, L2 index in the low 8. */
    public static CapAddress fromRaw(int raw) {
        return new CapAddress(raw >>> 8, raw & 0xff);
    }

    public int raw() {
        if (isLevel1()) {
            throw new IllegalStateException("a level-1 address has no 32-bit form");
        }
        return (l1 << 8) | l2;
    }

    public boolean isLevel1() {
        return l2 == LEVEL1;
    }

    /** The address {@code n} slots further along the same L2 CNode. */
    public CapAddress plus(int n) {
        return new CapAddress(l1, l2 + n);
    }

    @Override
    public String toString() {
        return isLevel1() ? l1 + "/-" : l1 + "/" + l2;
    }
}
