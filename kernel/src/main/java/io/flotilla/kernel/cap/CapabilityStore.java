package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

import static io.flotilla.cap.CapabilityException.Kind.BAD_ADDRESS;
import static io.flotilla.cap.CapabilityException.Kind.BAD_ALIGNMENT;
import static io.flotilla.cap.CapabilityException.Kind.BAD_SIZE;
import static io.flotilla.cap.CapabilityException.Kind.FOREIGN_STORE;
import static io.flotilla.cap.CapabilityException.Kind.NOT_HELD;
import static io.flotilla.cap.CapabilityException.Kind.NO_RIGHTS;
import static io.flotilla.cap.CapabilityException.Kind.OUT_OF_RANGE;
import static io.flotilla.cap.CapabilityException.Kind.OVERLAP;
import static io.flotilla.cap.CapabilityException.Kind.REMOTE_REQUIRED;
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
    final DerivationTree tree;
    final RetypeReservations reservations = new RetypeReservations();
    final RemoteCopies remote;
    final MonitorOperations monitorOps;

    /** A store for a machine without monitors: anything that involves another core is refused. */
    public CapabilityStore(int core) {
        this(core, SingleCoreAgreement.INSTANCE);
    }

    public CapabilityStore(int core, CapabilityAgreement agreement) {
        this.core = core;
        this.agreement = agreement;
        this.tree = new DerivationTree();
        this.remote = new RemoteCopies(this);
        this.monitorOps = new MonitorOperations(this);
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
        CopySet first = tree.newObject(CapType.L2_CNODE, 0, CapType.Sizes.L2_CNODE, core);
        DerivationTree.addEntry(first, Rights.ALL, root, 0);
        return new CSpace(this, dispatcher, root);
    }

    /**
     * Places a boot capability: the memory and interrupt ranges the CPU driver hands to init and the memory server.
     * Boot memory ranges never overlap one another, so no memory exists twice.
     *
     * <p>Package-private: minting RAM is the CPU driver's act at boot ({@link MemoryServer}), never a program's. A
     * program holding a monitor's store could otherwise create memory it was never given (issue 17).
     */
    synchronized void createBoot(CSpace cspace, CapAddress at, CapType type, long base, long size) {
        own(cspace);
        if (type != CapType.PHYS_ADDR && type != CapType.RAM && type != CapType.IRQ_SRC) {
            throw new CapabilityException(WRONG_TYPE, type + " is never a boot capability");
        }
        if (base < 0 || !type.sizeAllowed(size) || base % type.alignmentFor(size) != 0) {
            throw new CapabilityException(BAD_SIZE, type + " of " + size + " at " + base);
        }
        CopySet r = tree.bootOverlap(type, base, size);
        if (r != null) {
            throw new CapabilityException(OVERLAP, "boot " + type + " overlaps a boot " + r.type);
        }
        CapLookup.Slot dest = CapLookup.freeSlot(cspace, at);
        CopySet root = tree.newObject(type, base, size, core);
        tree.addBootRoot(root);
        DerivationTree.addEntry(root, Rights.ALL, dest.cnode(), dest.index());
    }

    // ---- operations, reached through CSpace ----

    synchronized CapIdentity identify(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        CapLookup.need(e, Right.IDENTIFY, "identify");
        return e.identity();
    }

    synchronized CapIdentity invoke(CSpace cs, CapAddress at, CapType type, Right right) {
        CapEntry e = resolve(cs, at);
        if (e.object.type != type) {
            throw new CapabilityException(WRONG_TYPE, at + " holds a " + e.object.type + ", not a " + type);
        }
        CapLookup.need(e, right, "invoke");
        return e.identity();
    }

    synchronized List<CapIdentity> children(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        CapLookup.need(e, Right.IDENTIFY, "list descendants of");
        List<CapIdentity> out = new ArrayList<>();
        for (CopySet c : e.object.children) {
            out.add(c.identity(Rights.NONE));
        }
        return out;
    }

    /** A retype that passed every local check: what to create, and where. */
    private record RetypePlan(CapEntry entry, CapType type, long base, long objSize, int count, CNode destNode,
            CapAddress destFirst) {
        long bytes() {
            return objSize * count;
        }
    }

    synchronized void retype(CSpace cs, CapAddress src, long offset, CapType type, long objSize, int count,
            CapAddress destFirst) {
        RetypePlan plan = checkRetype(cs, src, offset, type, objSize, count, destFirst);
        Set<Integer> others = retypeScope(plan);
        if (!others.isEmpty()) {
            if (agreement.splitPhase()) {
                throw new CapabilityException(REMOTE_REQUIRED, "retype of " + plan.entry.object.type
                        + " involves cores " + others + ": use the split-phase CSpace.retype(..., CapContinuation)");
            }
            atOnce(d -> agreement.retype(core, plan.entry.identity(), others, plan.base, plan.bytes(), d), "retype");
        }
        create(plan);
    }

    /**
     * Split-phase retype: checks here, then, if other cores are involved, reserves the range and asks the agreement;
     * creates the objects when it agrees (checking again: the source may have been revoked meanwhile).
     */
    void retype(CSpace cs, CapAddress src, long offset, CapType type, long objSize, int count, CapAddress destFirst,
            CapContinuation k) {
        RetypePlan plan;
        Set<Integer> others;
        RetypeReservations.Reservation mine;
        synchronized (this) {
            try {
                plan = checkRetype(cs, src, offset, type, objSize, count, destFirst);
            } catch (CapabilityException e) {
                k.done(e);
                return;
            }
            others = retypeScope(plan);
            if (others.isEmpty()) {
                create(plan);
                mine = null;
            } else {
                mine = reservations.hold(plan.base, plan.bytes(), core);
            }
        }
        if (mine == null) {
            k.done(null);
            return;
        }
        agreement.retype(core, plan.entry.identity(), others, plan.base, plan.bytes(), new CapabilityAgreement.Decision() {
            @Override
            public void agreed() {
                CapabilityException error = null;
                synchronized (CapabilityStore.this) {
                    reservations.release(mine);
                    try {
                        create(checkRetype(cs, src, offset, type, objSize, count, destFirst));
                    } catch (CapabilityException e) {
                        error = e;
                    }
                }
                k.done(error);
            }

            @Override
            public void refused(CapabilityException why) {
                synchronized (CapabilityStore.this) {
                    reservations.release(mine);
                }
                k.done(why);
            }
        });
    }

    private RetypePlan checkRetype(CSpace cs, CapAddress src, long offset, CapType type, long objSize, int count,
            CapAddress destFirst) {
        CapEntry e = resolve(cs, src);
        CopySet from = e.object;
        CapLookup.need(e, Right.WRITE, "retype");
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
        CNode destNode = CapLookup.l2Node(cs, destFirst);
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
            if (from.type.isMemory()) {
                for (CopySet c : tree.linkedByMemory(from)) {
                    if (c != from && !DerivationTree.isCopy(c, from.type, from.base, from.size) && c.overlaps(base, bytes)) {
                        throw new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a "
                                + "live " + c.type + " at [" + c.base + ", " + (c.base + c.size) + ")");
                    }
                }
                RetypeReservations.Reservation r = reservations.overlapping(base, bytes);
                if (r != null) {
                    throw new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a "
                            + "retype in progress for core " + r.holder() + " at [" + r.base() + ", "
                            + (r.base() + r.bytes()) + ")");
                }
            }
        }
        return new RetypePlan(e, type, base, objSize, count, destNode, destFirst);
    }

    /** The other cores a retype must ask; none for a retype that carries no memory. */
    private Set<Integer> retypeScope(RetypePlan plan) {
        return plan.type.overlapExempt(plan.entry.object.type) ? Set.of() : remote.retypeScope(plan.entry.object);
    }

    private void create(RetypePlan plan) {
        CopySet from = plan.entry.object;
        for (int i = 0; i < plan.count; i++) {
            CopySet child = tree.newObject(plan.type, plan.base + i * plan.objSize, plan.objSize, core);
            DerivationTree.retypedFrom(from, child);
            DerivationTree.addEntry(child, plan.entry.rights, plan.destNode, plan.destFirst.l2() + i);
        }
    }

    /** Runs an agreement that must answer before returning; a refusal is thrown. */
    private void atOnce(java.util.function.Consumer<CapabilityAgreement.Decision> ask, String what) {
        CapabilityException[] refused = new CapabilityException[1];
        boolean[] answered = new boolean[1];
        ask.accept(new CapabilityAgreement.Decision() {
            @Override
            public void agreed() {
                answered[0] = true;
            }

            @Override
            public void refused(CapabilityException why) {
                answered[0] = true;
                refused[0] = why;
            }
        });
        if (refused[0] != null) {
            throw refused[0];
        }
        if (!answered[0]) {
            throw new CapabilityException(REMOTE_REQUIRED, "the agreement did not answer the " + what
                    + " at once; use the split-phase operation");
        }
    }

    synchronized void copy(CSpace cs, CapAddress src, CSpace destCs, CapAddress dest, Rights rights) {
        own(destCs);
        CapEntry e = resolve(cs, src);
        if (destCs != cs) {
            CapLookup.need(e, Right.GRANT, "copy to another dispatcher");
        }
        install(e, rights == null ? e.rights : rights, destCs, dest);
    }

    synchronized CapRef ref(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        CapLookup.need(e, Right.GRANT, "send");
        return new CapRef(this, e, at);
    }

    synchronized void accept(CSpace cs, CapRef ref, CapAddress dest, boolean giveAway) {
        if (ref.store != this) {
            throw new CapabilityException(FOREIGN_STORE, "a reference made by core " + ref.store.core()
                    + " is not valid on core " + core);
        }
        CapEntry e = ref.entry;
        CapLookup.alive(e, "the sent capability");
        CapLookup.need(e, Right.GRANT, "send");
        install(e, e.rights, cs, dest);
        if (giveAway) {
            tree.remove(e, CapEntry.State.DELETED);
        }
    }

    synchronized void delete(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        CopySet o = e.object;
        if (o.entries.size() == 1) {
            Set<Integer> others = remote.otherCores(List.of(o));
            if (!others.isEmpty()) {
                atOnce(d -> agreement.deleteLast(core, e.identity(), others, d), "delete");
            }
        }
        tree.remove(e, CapEntry.State.DELETED);
    }

    /** Split-phase delete: as {@link #delete(CSpace, CapAddress)}, waiting for the agreement if it answers later. */
    void delete(CSpace cs, CapAddress at, CapContinuation k) {
        CapEntry e;
        Set<Integer> others;
        synchronized (this) {
            try {
                e = resolve(cs, at);
            } catch (CapabilityException x) {
                k.done(x);
                return;
            }
            others = e.object.entries.size() == 1 ? remote.otherCores(List.of(e.object)) : Set.of();
            if (others.isEmpty()) {
                tree.remove(e, CapEntry.State.DELETED);
            }
        }
        if (others.isEmpty()) {
            k.done(null);
            return;
        }
        agreement.deleteLast(core, e.identity(), others, new CapabilityAgreement.Decision() {
            @Override
            public void agreed() {
                synchronized (CapabilityStore.this) {
                    if (e.live()) {
                        tree.remove(e, CapEntry.State.DELETED);
                    }
                }
                k.done(null);
            }

            @Override
            public void refused(CapabilityException why) {
                k.done(why);
            }
        });
    }

    synchronized void revoke(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        CapLookup.need(e, Right.WRITE, "revoke");
        Set<Integer> others = remote.revokeScope(e.object);
        if (!others.isEmpty()) {
            if (agreement.splitPhase()) {
                throw new CapabilityException(REMOTE_REQUIRED, "revoke of " + e.object.type + " involves cores "
                        + others + ": use the split-phase CSpace.revoke(at, CapContinuation)");
            }
            atOnce(d -> agreement.revoke(core, e.identity(), others, d), "revoke");
        }
        sweepLocally(e);
    }

    /**
     * Split-phase revoke: sweeps this core at once (so nothing here can use a revoked copy while the others sweep),
     * then asks the agreement to sweep the other cores involved; {@code k} runs when they have.
     */
    void revoke(CSpace cs, CapAddress at, CapContinuation k) {
        CapEntry e;
        Set<Integer> others;
        synchronized (this) {
            try {
                e = resolve(cs, at);
                CapLookup.need(e, Right.WRITE, "revoke");
            } catch (CapabilityException x) {
                k.done(x);
                return;
            }
            others = remote.revokeScope(e.object);
            sweepLocally(e);
        }
        if (others.isEmpty()) {
            k.done(null);
            return;
        }
        agreement.revoke(core, e.identity(), others, new CapabilityAgreement.Decision() {
            @Override
            public void agreed() {
                k.done(null);
            }

            @Override
            public void refused(CapabilityException why) {
                k.done(why);
            }
        });
    }

    /** Deletes every other copy of {@code e}'s object and every descendant on this core, keeping {@code e}. */
    private void sweepLocally(CapEntry e) {
        List<CopySet> subtree = e.object.subtree();
        RemoteCopies.revoked(subtree);
        List<CapEntry> doomed = new ArrayList<>();
        for (CopySet c : subtree) {
            for (CapEntry x : c.entries) {
                if (x != e) {
                    doomed.add(x);
                }
            }
        }
        for (CopySet c : tree.linkedByMemory(e.object)) {
            for (CapEntry x : c.entries) {
                if (x != e && !doomed.contains(x)) {
                    doomed.add(x);
                }
            }
        }
        // Deaths cascade (a dying CNode takes its slots along), so some may already be gone when reached.
        for (CapEntry x : doomed) {
            if (x.live()) {
                tree.remove(x, CapEntry.State.REVOKED);
            }
        }
    }

    // ---- test and invariant support ----

    /** Every live object on this core made from boot memory, roots first (not the kernel-made first CNodes). Package-private: tests check tree invariants with it. */
    synchronized List<CopySet> liveObjects() {
        return tree.liveObjects();
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

    void own(CSpace cs) {
        if (cs.store != this) {
            throw new CapabilityException(FOREIGN_STORE, "CSpace of " + cs.dispatcher() + " belongs to core "
                    + cs.store.core() + ", not core " + core);
        }
    }

    /** The live entry at an address of the caller's own CSpace; the lookup never leaves it. */
    CapEntry resolve(CSpace cs, CapAddress at) {
        own(cs);
        return CapLookup.resolve(cs, at);
    }

    private void install(CapEntry e, Rights rights, CSpace destCs, CapAddress dest) {
        if (!rights.within(e.rights)) {
            throw new CapabilityException(NO_RIGHTS, "rights " + rights + " exceed the source's " + e.rights);
        }
        if (dest.isLevel1() && e.object.type != CapType.L2_CNODE) {
            throw new CapabilityException(WRONG_TYPE, "an L1 slot holds only L2 CNodes, not a " + e.object.type);
        }
        CapLookup.Slot slot = CapLookup.freeSlot(destCs, dest);
        DerivationTree.addEntry(e.object, rights, slot.cnode(), slot.index());
    }
}
