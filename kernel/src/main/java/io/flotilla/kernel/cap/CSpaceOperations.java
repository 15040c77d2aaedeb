package io.flotilla.kernel.cap;

import static io.flotilla.cap.CapabilityException.Kind.BAD_ADDRESS;
import static io.flotilla.cap.CapabilityException.Kind.BAD_ALIGNMENT;
import static io.flotilla.cap.CapabilityException.Kind.BAD_SIZE;
import static io.flotilla.cap.CapabilityException.Kind.FOREIGN_STORE;
import static io.flotilla.cap.CapabilityException.Kind.NO_RIGHTS;
import static io.flotilla.cap.CapabilityException.Kind.OUT_OF_RANGE;
import static io.flotilla.cap.CapabilityException.Kind.OVERLAP;
import static io.flotilla.cap.CapabilityException.Kind.REMOTE_REQUIRED;
import static io.flotilla.cap.CapabilityException.Kind.SLOT_OCCUPIED;
import static io.flotilla.cap.CapabilityException.Kind.WRONG_TYPE;
import static io.flotilla.kernel.cap.CapLookup.alive;
import static io.flotilla.kernel.cap.CapLookup.freeSlot;
import static io.flotilla.kernel.cap.CapLookup.l2Node;
import static io.flotilla.kernel.cap.CapLookup.need;

import io.flotilla.cap.CapabilityException;
import io.flotilla.kernel.cap.CapabilityAgreement.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The capability operations a dispatcher invokes on its own CSpace (Barrelfish's CNode invocations): identify,
 * retype, copy and mint, send by reference, delete and revoke. Each checks everything before it changes anything,
 * so a refused operation leaves no trace. An operation that involves other cores (a foreign owner, copies or
 * descendants elsewhere) asks the store's {@link CapabilityAgreement}: at once, or split-phase with a
 * {@link CapContinuation}.
 *
 * <p>Reached only through {@link CSpace}. Every method holds the store's lock while it reads or changes the store
 * (see {@link CapabilityStore}). The split-phase forms let it go before they ask the agreement and take it again
 * when the decision comes, checking again what may have changed meanwhile; the plain forms ask under the lock
 * and need the answer before they return.
 */
final class CSpaceOperations {

    private final CapabilityStore store;
    private final int core;
    private final CapabilityAgreement agreement;
    private final DerivationTree tree;
    private final RetypeReservations reservations;
    private final RemoteCopies remote;

    CSpaceOperations(CapabilityStore store, CapabilityAgreement agreement) {
        this.store = store;
        this.core = store.core();
        this.agreement = agreement;
        this.tree = store.tree;
        this.reservations = store.reservations;
        this.remote = store.remote;
    }

    CapIdentity identify(CSpace cs, CapAddress at) {
        synchronized (store) {
            CapEntry e = store.resolve(cs, at);
            need(e, Right.IDENTIFY, "identify");
            return e.identity();
        }
    }

    CapIdentity invoke(CSpace cs, CapAddress at, CapType type, Right right) {
        synchronized (store) {
            CapEntry e = store.resolve(cs, at);
            if (e.object.type != type) {
                throw new CapabilityException(WRONG_TYPE, at + " holds a " + e.object.type + ", not a " + type);
            }
            need(e, right, "invoke");
            return e.identity();
        }
    }

    List<CapIdentity> children(CSpace cs, CapAddress at) {
        synchronized (store) {
            CapEntry e = store.resolve(cs, at);
            need(e, Right.IDENTIFY, "list descendants of");
            List<CapIdentity> out = new ArrayList<>();
            for (CopySet c : e.object.children) {
                out.add(c.identity(Rights.NONE));
            }
            return out;
        }
    }

    /** A retype that passed every local check: what to create, and where. */
    private record RetypePlan(CapEntry entry, CapType type, long base, long objSize, int count, CNode destNode,
            CapAddress destFirst) {
        long bytes() {
            return objSize * count;
        }
    }

    void retype(CSpace cs, CapAddress src, long offset, CapType type, long objSize, int count, CapAddress destFirst) {
        synchronized (store) {
            RetypePlan plan = checkRetype(cs, src, offset, type, objSize, count, destFirst);
            Set<Integer> others = retypeScope(plan);
            if (!others.isEmpty()) {
                if (agreement.splitPhase()) {
                    throw new CapabilityException(REMOTE_REQUIRED, "retype of " + plan.entry.object.type
                            + " involves cores " + others
                            + ": use the split-phase CSpace.retype(..., CapContinuation)");
                }
                atOnce(d -> agreement.retype(core, plan.entry.identity(), others, plan.base, plan.bytes(), d),
                        "retype");
            }
            create(plan);
        }
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
        synchronized (store) {
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
        agreement.retype(core, plan.entry.identity(), others, plan.base, plan.bytes(), new Decision() {
            @Override
            public void agreed() {
                CapabilityException error = null;
                synchronized (store) {
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
                synchronized (store) {
                    reservations.release(mine);
                }
                k.done(why);
            }
        });
    }

    private RetypePlan checkRetype(CSpace cs, CapAddress src, long offset, CapType type, long objSize, int count,
            CapAddress destFirst) {
        CapEntry e = store.resolve(cs, src);
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
            if (from.type.isMemory()) {
                for (CopySet c : tree.linkedByMemory(from)) {
                    if (c != from && !DerivationTree.isCopy(c, from.type, from.base, from.size)
                            && c.overlaps(base, bytes)) {
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
    private void atOnce(Consumer<Decision> ask, String what) {
        CapabilityException[] refused = new CapabilityException[1];
        boolean[] answered = new boolean[1];
        ask.accept(new Decision() {
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

    void copy(CSpace cs, CapAddress src, CSpace destCs, CapAddress dest, Rights rights) {
        synchronized (store) {
            store.own(destCs);
            CapEntry e = store.resolve(cs, src);
            if (destCs != cs) {
                need(e, Right.GRANT, "copy to another dispatcher");
            }
            install(e, rights == null ? e.rights : rights, destCs, dest);
        }
    }

    CapRef ref(CSpace cs, CapAddress at) {
        synchronized (store) {
            CapEntry e = store.resolve(cs, at);
            need(e, Right.GRANT, "send");
            return new CapRef(store, e, at);
        }
    }

    void accept(CSpace cs, CapRef ref, CapAddress dest, boolean giveAway) {
        synchronized (store) {
            if (ref.store != store) {
                throw new CapabilityException(FOREIGN_STORE, "a reference made by core " + ref.store.core()
                        + " is not valid on core " + core);
            }
            CapEntry e = ref.entry;
            alive(e, "the sent capability");
            need(e, Right.GRANT, "send");
            install(e, e.rights, cs, dest);
            if (giveAway) {
                tree.remove(e, CapEntry.State.DELETED);
            }
        }
    }

    void delete(CSpace cs, CapAddress at) {
        synchronized (store) {
            CapEntry e = store.resolve(cs, at);
            CopySet o = e.object;
            if (o.entries.size() == 1) {
                Set<Integer> others = remote.otherCores(List.of(o));
                if (!others.isEmpty()) {
                    atOnce(d -> agreement.deleteLast(core, e.identity(), others, d), "delete");
                }
            }
            tree.remove(e, CapEntry.State.DELETED);
        }
    }

    /** Split-phase delete: as {@link #delete(CSpace, CapAddress)}, waiting for the agreement if it answers later. */
    void delete(CSpace cs, CapAddress at, CapContinuation k) {
        CapEntry e;
        Set<Integer> others;
        synchronized (store) {
            try {
                e = store.resolve(cs, at);
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
        agreement.deleteLast(core, e.identity(), others, new Decision() {
            @Override
            public void agreed() {
                synchronized (store) {
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

    void revoke(CSpace cs, CapAddress at) {
        synchronized (store) {
            CapEntry e = store.resolve(cs, at);
            need(e, Right.WRITE, "revoke");
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
    }

    /**
     * Split-phase revoke: sweeps this core at once (so nothing here can use a revoked copy while the others sweep),
     * then asks the agreement to sweep the other cores involved; {@code k} runs when they have.
     */
    void revoke(CSpace cs, CapAddress at, CapContinuation k) {
        CapEntry e;
        Set<Integer> others;
        synchronized (store) {
            try {
                e = store.resolve(cs, at);
                need(e, Right.WRITE, "revoke");
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
        agreement.revoke(core, e.identity(), others, new Decision() {
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

    private void install(CapEntry e, Rights rights, CSpace destCs, CapAddress dest) {
        if (!rights.within(e.rights)) {
            throw new CapabilityException(NO_RIGHTS, "rights " + rights + " exceed the source's " + e.rights);
        }
        if (dest.isLevel1() && e.object.type != CapType.L2_CNODE) {
            throw new CapabilityException(WRONG_TYPE, "an L1 slot holds only L2 CNodes, not a " + e.object.type);
        }
        CapLookup.Slot slot = freeSlot(destCs, dest);
        DerivationTree.addEntry(e.object, rights, slot.cnode(), slot.index());
    }
}
