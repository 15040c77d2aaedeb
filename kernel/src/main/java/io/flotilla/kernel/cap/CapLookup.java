package io.flotilla.kernel.cap;

import static io.flotilla.cap.CapabilityException.Kind.NOT_HELD;
import static io.flotilla.cap.CapabilityException.Kind.NO_RIGHTS;
import static io.flotilla.cap.CapabilityException.Kind.REVOKED;
import static io.flotilla.cap.CapabilityException.Kind.SLOT_OCCUPIED;

import io.flotilla.cap.CapabilityException;

/**
 * Finding a capability by its address in a CSpace, and the rights check that follows (Barrelfish's
 * {@code caps_lookup_slot}): the lookup never leaves the CSpace it is given. The caller has already checked that
 * the CSpace is its store's ({@link CapabilityStore#own}) and holds that store's lock.
 */
final class CapLookup {

    private CapLookup() {}

    /** A slot of a CNode. */
    record Slot(CNode cnode, int index) {}

    /** The live entry at {@code at}. */
    static CapEntry resolve(CSpace cs, CapAddress at) {
        if (at.l1() >= cs.root.size()) {
            throw new CapabilityException(NOT_HELD, at + " lies outside this CSpace");
        }
        CapEntry top = cs.root.get(at.l1());
        alive(top, "L1 slot " + at.l1());
        if (at.isLevel1()) {
            return top;
        }
        CapEntry e = top.object.cnode.get(at.l2());
        alive(e, at.toString());
        return e;
    }

    /** The L2 CNode that {@code at}'s level-1 slot holds. */
    static CNode l2Node(CSpace cs, CapAddress at) {
        if (at.l1() >= cs.root.size()) {
            throw new CapabilityException(NOT_HELD, at + " lies outside this CSpace");
        }
        CapEntry top = cs.root.get(at.l1());
        alive(top, "L1 slot " + at.l1());
        return top.object.cnode;
    }

    /** The empty slot at {@code at} (a tombstone counts as empty). */
    static Slot freeSlot(CSpace cs, CapAddress at) {
        CNode node = at.isLevel1() ? cs.root : l2Node(cs, at);
        int index = at.isLevel1() ? at.l1() : at.l2();
        if (index >= node.size()) {
            throw new CapabilityException(NOT_HELD, at + " lies outside this CSpace");
        }
        if (!node.free(index)) {
            throw new CapabilityException(SLOT_OCCUPIED, at + " is occupied");
        }
        return new Slot(node, index);
    }

    static void need(CapEntry e, Right right, String what) {
        if (!e.rights.has(right)) {
            throw new CapabilityException(NO_RIGHTS, what + " needs " + right + "; this copy has " + e.rights);
        }
    }

    static void alive(CapEntry e, String where) {
        if (e == null || e.state == CapEntry.State.DELETED) {
            throw new CapabilityException(NOT_HELD, where + " holds no capability");
        }
        if (e.state == CapEntry.State.REVOKED) {
            throw new CapabilityException(REVOKED, where + " held a capability that has been revoked");
        }
    }
}
