package io.flotilla.kernel.cap;

/**
 * The slots of a CNode object. A slot holds a live entry, a revoked tombstone, or nothing; a tombstone counts as
 * empty when something new is stored there.
 */
final class CNode {

    /** The CNode capability's copy set; null for a CSpace's root, which the kernel makes at dispatcher creation. */
    final CopySet self;
    private final CapEntry[] slots;

    CNode(CopySet self, int slots) {
        this.self = self;
        this.slots = new CapEntry[slots];
    }

    int size() {
        return slots.length;
    }

    CapEntry get(int slot) {
        return slots[slot];
    }

    boolean free(int slot) {
        return slots[slot] == null || !slots[slot].live();
    }

    void put(CapEntry entry) {
        slots[entry.slot] = entry;
    }

    void clear(CapEntry entry) {
        if (slots[entry.slot] == entry) {
            slots[entry.slot] = null;
        }
    }
}
