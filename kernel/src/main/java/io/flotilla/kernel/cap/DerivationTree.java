package io.flotilla.kernel.cap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One core's derivation tree (Barrelfish's mapping database): the copy sets of every object this core holds, which
 * was retyped from which, and which arrived from other cores. It answers what an operation touches (the subtree,
 * the objects that lie inside an object's memory, the other cores involved) and removes copies, letting an object
 * die with its last one. It checks nothing and asks no one: the operations above it do both.
 *
 * <p>Not thread-safe: every method runs under the lock of the {@link CapabilityStore} that owns it (see there).
 * Ordered collections only, so that walks are deterministic.
 */
final class DerivationTree {

    /** Trees made from boot memory on this core. */
    private final List<CopySet> roots = new ArrayList<>();
    /** Roots of this core's tree whose object was made elsewhere: foreign copies and copies that arrived. */
    private final List<CopySet> foreign = new ArrayList<>();
    private long nextId = 1;

    DerivationTree() {}

    /** A new copy set, not yet placed in the tree. */
    CopySet newObject(CapType type, long base, long size, int owner) {
        return new CopySet(nextId++, type, base, size, owner);
    }

    /** The live boot root of the same kind (memory or not) whose range overlaps, or null: memory exists once. */
    CopySet bootOverlap(CapType type, long base, long size) {
        for (CopySet r : roots) {
            if (r.live && r.type.isMemory() == type.isMemory() && r.overlaps(base, size)) {
                return r;
            }
        }
        return null;
    }

    void addBootRoot(CopySet root) {
        roots.add(root);
    }

    void addForeign(CopySet object) {
        foreign.add(object);
    }

    /** A live copy set here of the object {@code (type, base, size)} owned by {@code owner}, or null. */
    CopySet liveCopyOf(int owner, CapType type, long base, long size) {
        for (CopySet c : allLive()) {
            if (c.owner == owner && isCopy(c, type, base, size)) {
                return c;
            }
        }
        return null;
    }

    /** Links a newly retyped object below the object it was made from. */
    static void retypedFrom(CopySet from, CopySet child) {
        child.parent = from;
        from.children.add(child);
    }

    /** Places one copy of {@code object} in a CNode slot. */
    static void addEntry(CopySet object, Rights rights, CNode cnode, int slot) {
        CapEntry entry = new CapEntry(object, rights, cnode, slot);
        object.entries.add(entry);
        cnode.put(entry);
    }

    /**
     * Removes one copy. A deleted slot becomes empty; a revoked one keeps a tombstone. When the last copy goes, the
     * object dies: its children move up to its parent, so they still count as descendants of every ancestor (and
     * still block overlapping retypes), and a CNode's slots die with it.
     */
    void remove(CapEntry e, CapEntry.State how) {
        e.state = how;
        if (how == CapEntry.State.DELETED) {
            e.home.clear(e);
        }
        CopySet o = e.object;
        o.entries.remove(e);
        if (!o.entries.isEmpty()) {
            return;
        }
        o.live = false;
        if (o.parent != null) {
            o.parent.children.remove(o);
            for (CopySet c : o.children) {
                c.parent = o.parent;
                o.parent.children.add(c);
            }
        } else {
            List<CopySet> home = roots.remove(o) ? roots : foreign;
            foreign.remove(o);
            for (CopySet c : o.children) {
                c.parent = null;
                home.add(c);
            }
        }
        o.children.clear();
        if (o.cnode != null) {
            Set<CapEntry> inside = new LinkedHashSet<>();
            for (int i = 0; i < o.cnode.size(); i++) {
                CapEntry x = o.cnode.get(i);
                if (x != null && x.live()) {
                    inside.add(x);
                }
            }
            for (CapEntry x : inside) {
                if (x.live()) {
                    remove(x, how);
                }
            }
        }
    }

    static boolean isCopy(CopySet c, CapType type, long base, long size) {
        return c.type == type && c.base == base && c.size == size;
    }

    /**
     * Whether {@code c} is a descendant of the object {@code (type, base, size)}, judged by memory (memory exists
     * once, so what lies inside an object came from it): inside its range and not the object itself; at the same
     * range, only types that can be made from it (a RAM that a Frame was retyped from is its ancestor).
     */
    static boolean descendsFrom(CopySet c, CapType type, long base, long size) {
        if (c.type.isMemory() != type.isMemory() || c.size == 0 || isCopy(c, type, base, size)) {
            return false;
        }
        if (c.base < base || c.base + c.size > base + size) {
            return false;
        }
        if (c.base == base && c.size == size) {
            return c.type.derivableFrom(type);
        }
        return true;
    }

    /**
     * The live objects here that copy or descend from {@code object} without a derivation link to it, found by the
     * memory they cover (retype and revoke both need them). Copies that arrived from other cores are copy sets of
     * their own, so they and what was retyped from them are always among them. When {@code object} itself arrived
     * (a capability given away and sent back arrives as a new copy set, while what was retyped from it here before
     * it left stays in the boot tree), this core's own tree is linked to it by memory only, so every live object
     * here is searched.
     */
    List<CopySet> linkedByMemory(CopySet object) {
        return arrived(object) ? allLiveInside(object.type, object.base, object.size)
                : foreignAndInside(object.type, object.base, object.size);
    }

    /**
     * Copies that arrived from other cores, and what was retyped from them, that copy or descend from the object.
     * This core's own tree is left to the derivation links, which are exact where memory alone is not (a Frame
     * split into one Frame of the same size).
     */
    private List<CopySet> foreignAndInside(CapType type, long base, long size) {
        List<CopySet> out = new ArrayList<>();
        List<CopySet> arrived = new ArrayList<>();
        for (CopySet f : foreign) {
            if (f.live) {
                arrived.addAll(f.subtree());
            }
        }
        for (CopySet c : arrived) {
            if (isCopy(c, type, base, size) || descendsFrom(c, type, base, size)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether {@code c} lies in the tree of a copy that arrived from another core. */
    private boolean arrived(CopySet c) {
        CopySet root = c;
        while (root.parent != null) {
            root = root.parent;
        }
        return foreign.contains(root);
    }

    /** Every live object here, in any tree, that copies or descends from the object, judged by memory. */
    List<CopySet> allLiveInside(CapType type, long base, long size) {
        List<CopySet> out = new ArrayList<>();
        for (CopySet c : allLive()) {
            if (isCopy(c, type, base, size) || descendsFrom(c, type, base, size)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every live object on this core: the boot trees and the trees of copies that arrived from other cores. */
    List<CopySet> allLive() {
        List<CopySet> out = liveObjects();
        for (CopySet f : foreign) {
            if (f.live) {
                out.addAll(f.subtree());
            }
        }
        return out;
    }

    /** Every live object on this core made from boot memory, roots first (not the kernel-made first CNodes). */
    List<CopySet> liveObjects() {
        List<CopySet> out = new ArrayList<>();
        for (CopySet r : roots) {
            if (r.live) {
                out.addAll(r.subtree());
            }
        }
        return out;
    }
}
