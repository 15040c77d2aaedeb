package io.flotilla.kernel.cap;

/**
 * One copy of a capability in one CNode slot, with its own rights. When a revoke deletes it, the slot keeps it
 * as a tombstone, so that the next use of the address says REVOKED rather than just "not held".
 */
final class CapEntry {

    enum State { LIVE, DELETED, REVOKED }

    final CopySet object;
    final Rights rights;
    final CNode home;
    final int slot;
    State state = State.LIVE;

    CapEntry(CopySet object, Rights rights, CNode home, int slot) {
        this.object = object;
        this.rights = rights;
        this.home = home;
        this.slot = slot;
    }

    boolean live() {
        return state == State.LIVE;
    }

    CapIdentity identity() {
        return object.identity(rights);
    }
}
