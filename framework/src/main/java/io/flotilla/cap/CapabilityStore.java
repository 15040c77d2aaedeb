package io.flotilla.cap;

import static io.flotilla.cap.CapabilityException.Kind.BAD_ADDRESS;
import static io.flotilla.cap.CapabilityException.Kind.BAD_ALIGNMENT;
import static io.flotilla.cap.CapabilityException.Kind.BAD_SIZE;
import static io.flotilla.cap.CapabilityException.Kind.FOREIGN_STORE;
import static io.flotilla.cap.CapabilityException.Kind.NOT_HELD;
import static io.flotilla.cap.CapabilityException.Kind.NO_RIGHTS;
import static io.flotilla.cap.CapabilityException.Kind.OUT_OF_RANGE;
import static io.flotilla.cap.CapabilityException.Kind.OVERLAP;
import static io.flotilla.cap.CapabilityException.Kind.REVOKED;
import static io.flotilla.cap.CapabilityException.Kind.SLOT_OCCUPIED;
import static io.flotilla.cap.CapabilityException.Kind.WRONG_TYPE;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The capabilities of one core: its derivation tree (Barrelfish's mapping database) and the CSpaces of its
 * dispatchers. Every operation checks everything before it changes anything, so a refused operation leaves no
 * trace. One lock per store: operations on one core are serial, as they are in a CPU driver.
 *
 * <p>Operations are reached through {@link CSpace}; this class adds what only the kernel and the monitor do:
 * making CSpaces, boot capabilities, and the bookkeeping of copies on other cores.
 */
public final class CapabilityStore {

    private final int core;
    private final CapabilityAgreement agreement;
    private final List<CopySet> roots = new ArrayList<>();
    private long nextId = 1;

    /** A store for a machine without monitors: anything that involves another core is refused. */
    public CapabilityStore(int core) {
        this(core, SingleCoreAgreement.INSTANCE);
    }

    public CapabilityStore(int core, CapabilityAgreement agreement) {
        this.core = core;
        this.agreement = agreement;
    }

    public int core() {
        return core;
    }

    /**
     * A new CSpace for a dispatcher: a root CNode of {@code l1Slots} slots with one L2 CNode (256 slots) in L1 slot 0.
     * The kernel makes these from its own memory, as Barrelfish's CPU driver builds init's; more L2 CNodes are
     * retyped from RAM and installed with a copy to a level-1 address.
     */
    public synchronized CSpace createCSpace(String dispatcher, int l1Slots) {
        if (l1Slots < 1 || l1Slots > CapAddress.MAX_L1 + 1) {
            throw new IllegalArgumentException("L1 slots must be in 1.." + (CapAddress.MAX_L1 + 1) + ": " + l1Slots);
        }
        CNode root = new CNode(null, l1Slots);
        CopySet first = new CopySet(nextId++, CapType.L2_CNODE, 0, CapType.Sizes.L2_CNODE, core);
        addEntry(first, Rights.ALL, root, 0);
        return new CSpace(this, dispatcher, root);
    }

    /**
     * Places a boot capability: the memory and interrupt ranges the CPU driver hands to init and the memory server.
     * Boot memory ranges never overlap one another, so no memory exists twice.
     */
    public synchronized void createBoot(CSpace cspace, CapAddress at, CapType type, long base, long size) {
        own(cspace);
        if (type != CapType.PHYS_ADDR && type != CapType.RAM && type != CapType.IRQ_SRC) {
            throw new CapabilityException(WRONG_TYPE, type + " is never a boot capability");
        }
        if (base < 0 || !type.sizeAllowed(size) || base % type.alignmentFor(size) != 0) {
            throw new CapabilityException(BAD_SIZE, type + " of " + size + " at " + base);
        }
        for (CopySet r : roots) {
            if (r.live && r.type.isMemory() == type.isMemory() && r.overlaps(base, size)) {
                throw new CapabilityException(OVERLAP, "boot " + type + " overlaps a boot " + r.type);
            }
        }
        Slot dest = freeSlot(cspace, at);
        CopySet root = new CopySet(nextId++, type, base, size, core);
        roots.add(root);
        addEntry(root, Rights.ALL, dest.cnode, dest.index);
    }

    /**
     * Monitor side: places a copy of a capability owned by another core (a {@code caprep} that arrived), as
     * Barrelfish's {@code monitor_cap_create}. Operations on it that need its owner go to the agreement.
     */
    public synchronized void createForeign(CSpace cspace, CapAddress at, CapType type, long base, long size,
            Rights rights, int owner) {
        own(cspace);
        if (owner == core) {
            throw new IllegalArgumentException("a foreign capability is owned by another core");
        }
        Slot dest = freeSlot(cspace, at);
        addEntry(new CopySet(nextId++, type, base, size, owner), rights, dest.cnode, dest.index);
    }

    /** Monitor side: notes that {@code remoteCore} now holds a copy of the capability at {@code at}. */
    public synchronized void recordRemoteCopy(CSpace cspace, CapAddress at, int remoteCore) {
        own(cspace);
        if (remoteCore == core) {
            throw new IllegalArgumentException("core " + core + " is this core");
        }
        resolve(cspace, at).object.remoteCopies.add(remoteCore);
    }

    /** Monitor side: notes that {@code remoteCore} no longer holds a copy. */
    public synchronized void forgetRemoteCopy(CSpace cspace, CapAddress at, int remoteCore) {
        own(cspace);
        resolve(cspace, at).object.remoteCopies.remove(remoteCore);
    }

    /** The cores recorded as holding copies of the capability at {@code at}. */
    public synchronized Set<Integer> remoteCopies(CSpace cspace, CapAddress at) {
        own(cspace);
        return Set.copyOf(resolve(cspace, at).object.remoteCopies);
    }

    // ---- operations, reached through CSpace ----

    synchronized CapIdentity identify(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        need(e, Right.IDENTIFY, "identify");
        return e.identity();
    }

    synchronized CapIdentity invoke(CSpace cs, CapAddress at, CapType type, Right right) {
        CapEntry e = resolve(cs, at);
        if (e.object.type != type) {
            throw new CapabilityException(WRONG_TYPE, at + " holds a " + e.object.type + ", not a " + type);
        }
        need(e, right, "invoke");
        return e.identity();
    }

    synchronized List<CapIdentity> children(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        need(e, Right.IDENTIFY, "list descendants of");
        List<CapIdentity> out = new ArrayList<>();
        for (CopySet c : e.object.children) {
            out.add(c.identity(Rights.NONE));
        }
        return out;
    }

    synchronized void retype(CSpace cs, CapAddress src, long offset, CapType type, long objSize, int count,
            CapAddress destFirst) {
        CapEntry e = resolve(cs, src);
        CopySet from = e.object;
        need(e, Right.WRITE, "retype");
        if (!type.derivableFrom(from.type)) {
            throw new CapabilityException(WRONG_TYPE, "a " + from.type + " cannot be retyped into " + type
                    + " (it retypes into " + from.type.retypeTargets() + ")");
        }
        if (count < 1) {
            throw new CapabilityException(OUT_OF_RANGE, "count must be at least 1: " + count);
        }
        if (!type.sizeAllowed(objSize)) {
            throw new CapabilityException(BAD_SIZE, objSize + " is not a size of " + type
                    + (type.fixedSize() != 0 ? " (always " + type.fixedSize() + ")" : ""));
        }
        long align = type.alignmentFor(objSize);
        if (offset < 0 || offset % align != 0) {
            throw new CapabilityException(BAD_ALIGNMENT, "offset " + offset + " is not a multiple of " + align);
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(objSize, (long) count);
            if (Math.addExact(offset, bytes) > from.size) {
                throw new ArithmeticException();
            }
        } catch (ArithmeticException tooLarge) {
            throw new CapabilityException(OUT_OF_RANGE, count + " x " + objSize + " at offset " + offset
                    + " runs past the end of " + from.size);
        }
        if (destFirst.isLevel1() || count > CapAddress.L2_SLOTS - destFirst.l2()) {
            throw new CapabilityException(BAD_ADDRESS, count + " slots from " + destFirst + " do not fit one L2 CNode");
        }
        CNode destNode = l2Node(cs, destFirst);
        for (int i = 0; i < count; i++) {
            if (!destNode.free(destFirst.l2() + i)) {
                throw new CapabilityException(SLOT_OCCUPIED, destFirst.plus(i) + " is occupied");
            }
        }
        long base = from.base + offset;
        if (!type.overlapExempt(from.type)) {
            for (CopySet c : from.children) {
                if (c.overlaps(base, bytes)) {
                    throw new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a live "
                            + c.type + " at [" + c.base + ", " + (c.base + c.size) + ")");
                }
            }
        }
        Set<Integer> others = otherCores(List.of(from));
        if (!others.isEmpty()) {
            agreement.retype(core, e.identity(), others, base, bytes);
        }
        for (int i = 0; i < count; i++) {
            CopySet child = new CopySet(nextId++, type, base + i * objSize, objSize, core);
            child.parent = from;
            from.children.add(child);
            addEntry(child, e.rights, destNode, destFirst.l2() + i);
        }
    }

    synchronized void copy(CSpace cs, CapAddress src, CSpace destCs, CapAddress dest, Rights rights) {
        own(destCs);
        CapEntry e = resolve(cs, src);
        if (destCs != cs) {
            need(e, Right.GRANT, "copy to another dispatcher");
        }
        install(e, rights == null ? e.rights : rights, destCs, dest);
    }

    synchronized CapRef ref(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        need(e, Right.GRANT, "send");
        return new CapRef(this, e);
    }

    synchronized void accept(CSpace cs, CapRef ref, CapAddress dest, boolean giveAway) {
        if (ref.store != this) {
            throw new CapabilityException(FOREIGN_STORE, "a reference made by core " + ref.store.core()
                    + " is not valid on core " + core);
        }
        CapEntry e = ref.entry;
        alive(e, "the sent capability");
        need(e, Right.GRANT, "send");
        install(e, e.rights, cs, dest);
        if (giveAway) {
            remove(e, CapEntry.State.DELETED);
        }
    }

    synchronized void delete(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        CopySet o = e.object;
        if (o.entries.size() == 1) {
            Set<Integer> others = otherCores(List.of(o));
            if (!others.isEmpty()) {
                agreement.deleteLast(core, e.identity(), others);
            }
        }
        remove(e, CapEntry.State.DELETED);
    }

    synchronized void revoke(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        need(e, Right.WRITE, "revoke");
        List<CopySet> subtree = e.object.subtree();
        Set<Integer> others = otherCores(subtree);
        if (!others.isEmpty()) {
            agreement.revoke(core, e.identity(), others);
            for (CopySet c : subtree) {
                c.remoteCopies.clear();
            }
        }
        List<CapEntry> doomed = new ArrayList<>();
        for (CopySet c : subtree) {
            for (CapEntry x : c.entries) {
                if (x != e) {
                    doomed.add(x);
                }
            }
        }
        // Deaths cascade (a dying CNode takes its slots along), so some may already be gone when reached.
        for (CapEntry x : doomed) {
            if (x.live()) {
                remove(x, CapEntry.State.REVOKED);
            }
        }
    }

    // ---- test and invariant support ----

    /** Every live object on this core made from boot memory, roots first (not the kernel-made first CNodes). Package-private: tests check tree invariants with it. */
    synchronized List<CopySet> liveObjects() {
        List<CopySet> out = new ArrayList<>();
        for (CopySet r : roots) {
            if (r.live) {
                out.addAll(r.subtree());
            }
        }
        return out;
    }

    /** What a slot holds, without any rights check: for tests. Null if empty or dead. */
    synchronized CapIdentity peek(CSpace cs, CapAddress at) {
        try {
            return resolve(cs, at).identity();
        } catch (CapabilityException e) {
            return null;
        }
    }

    // ---- internals ----

    private record Slot(CNode cnode, int index) {}

    private void own(CSpace cs) {
        if (cs.store != this) {
            throw new CapabilityException(FOREIGN_STORE, "CSpace of " + cs.dispatcher() + " belongs to core "
                    + cs.store.core() + ", not core " + core);
        }
    }

    private static void need(CapEntry e, Right right, String what) {
        if (!e.rights.has(right)) {
            throw new CapabilityException(NO_RIGHTS, what + " needs " + right + "; this copy has " + e.rights);
        }
    }

    private static void alive(CapEntry e, String where) {
        if (e == null || e.state == CapEntry.State.DELETED) {
            throw new CapabilityException(NOT_HELD, where + " holds no capability");
        }
        if (e.state == CapEntry.State.REVOKED) {
            throw new CapabilityException(REVOKED, where + " held a capability that has been revoked");
        }
    }

    /** The live entry at an address of the caller's own CSpace; the lookup never leaves it. */
    private CapEntry resolve(CSpace cs, CapAddress at) {
        own(cs);
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

    private CNode l2Node(CSpace cs, CapAddress at) {
        if (at.l1() >= cs.root.size()) {
            throw new CapabilityException(NOT_HELD, at + " lies outside this CSpace");
        }
        CapEntry top = cs.root.get(at.l1());
        alive(top, "L1 slot " + at.l1());
        return top.object.cnode;
    }

    private Slot freeSlot(CSpace cs, CapAddress at) {
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

    private void install(CapEntry e, Rights rights, CSpace destCs, CapAddress dest) {
        if (!rights.within(e.rights)) {
            throw new CapabilityException(NO_RIGHTS, "rights " + rights + " exceed the source's " + e.rights);
        }
        if (dest.isLevel1() && e.object.type != CapType.L2_CNODE) {
            throw new CapabilityException(WRONG_TYPE, "an L1 slot holds only L2 CNodes, not a " + e.object.type);
        }
        Slot slot = freeSlot(destCs, dest);
        addEntry(e.object, rights, slot.cnode, slot.index);
    }

    private static void addEntry(CopySet object, Rights rights, CNode cnode, int slot) {
        CapEntry entry = new CapEntry(object, rights, cnode, slot);
        object.entries.add(entry);
        cnode.put(entry);
    }

    /** The cores besides this one that an operation over these copy sets involves. */
    private Set<Integer> otherCores(List<CopySet> sets) {
        Set<Integer> cores = new TreeSet<>();
        for (CopySet c : sets) {
            cores.addAll(c.remoteCopies);
            if (c.owner != core) {
                cores.add(c.owner);
            }
        }
        return cores;
    }

    /**
     * Removes one copy. A deleted slot becomes empty; a revoked one keeps a tombstone. When the last copy goes, the
     * object dies: its children move up to its parent, so they still count as descendants of every ancestor (and
     * still block overlapping retypes), and a CNode's slots die with it.
     */
    private void remove(CapEntry e, CapEntry.State how) {
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
            roots.remove(o);
            for (CopySet c : o.children) {
                c.parent = null;
                roots.add(c);
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
}
