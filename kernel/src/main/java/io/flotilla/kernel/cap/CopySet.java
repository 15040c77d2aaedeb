package io.flotilla.kernel.cap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object and all its copies on this core: a node of the derivation tree (Barrelfish's mapping database).
 * Copies share it; retype makes children. Ordered collections only, so that walks are deterministic.
 */
final class CopySet {

    final long id;
    final CapType type;
    final long base;
    final long size;
    /** The core that owns this copy set and sequences operations on it (Barrelfish's {@code mdbnode.owner}). */
    final int owner;
    /** The slots of a CNode object; null for every other type. */
    final CNode cnode;
    /** The copy set this one was retyped from; after that dies, the nearest live ancestor. Null for boot roots. */
    CopySet parent;
    final Set<CopySet> children = new LinkedHashSet<>();
    final Set<CapEntry> entries = new LinkedHashSet<>();
    /** Cores other than this one that hold copies: bookkeeping the monitors keep up to date. */
    final Set<Integer> remoteCopies = new TreeSet<>();
    /**
     * Cores that were sent a copy of this object or of a descendant (Barrelfish's {@code remote_descs}): a retype
     * of this object must ask them. Kept when the descendant dies, as Barrelfish keeps the bit: conservative.
     */
    final Set<Integer> remoteDescendants = new TreeSet<>();
    boolean live = true;

    CopySet(long id, CapType type, long base, long size, int owner) {
        this.id = id;
        this.type = type;
        this.base = base;
        this.size = size;
        this.owner = owner;
        this.cnode = switch (type) {
            case L2_CNODE -> new CNode(this, CapAddress.L2_SLOTS);
            case L1_CNODE -> new CNode(this, (int) Math.min(CapAddress.MAX_L1 + 1L, size / 64));
            default -> null;
        };
    }

    boolean overlaps(long otherBase, long otherSize) {
        return size > 0 && otherSize > 0 && base < otherBase + otherSize && otherBase < base + size;
    }

    /** This copy set and every live descendant, parents before children. */
    List<CopySet> subtree() {
        List<CopySet> out = new ArrayList<>();
        out.add(this);
        for (int i = 0; i < out.size(); i++) {
            out.addAll(out.get(i).children);
        }
        return out;
    }

    CapIdentity identity(Rights rights) {
        return new CapIdentity(type, base, size, rights, owner);
    }
}
