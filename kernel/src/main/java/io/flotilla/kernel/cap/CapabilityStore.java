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
    private final List<CopySet> roots = new ArrayList<>();
    /** Copy sets placed by {@link #createForeign}: roots of this core's tree whose object was made elsewhere. */
    private final List<CopySet> foreign = new ArrayList<>();
    /**
     * Memory ranges with a retype under way: this core's own split-phase retypes waiting for agreement, and, on an
     * owner, retypes of its objects it has granted to other cores (Barrelfish's owner lock). A retype over any of
     * them is refused until it is released.
     */
    private final List<Reservation> reservations = new ArrayList<>();
    private long nextId = 1;

    private record Reservation(long base, long bytes, int holder) {
        boolean overlaps(long b, long n) {
            return bytes > 0 && n > 0 && base < b + n && b < base + bytes;
        }
    }

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
    synchronized void createForeign(CSpace cspace, CapAddress at, CapType type, long base, long size,
            Rights rights, int owner) {
        own(cspace);
        if (owner == core) {
            throw new IllegalArgumentException("a foreign capability is owned by another core");
        }
        Slot dest = freeSlot(cspace, at);
        CopySet object = new CopySet(nextId++, type, base, size, owner);
        foreign.add(object);
        addEntry(object, rights, dest.cnode, dest.index);
    }

    /**
     * Monitor side: places a copy that arrived from core {@code sender} (a capability sent through the monitors).
     * If this core already holds the object, the arrival joins that copy set, as a local copy would; otherwise it
     * becomes a copy set of its own. Either way the sender is recorded as holding copies or descendants, so a
     * retype or revoke of it asks the other cores.
     */
    synchronized void installArrived(CSpace cspace, CapAddress at, CapType type, long base, long size,
            Rights rights, int owner, int sender) {
        own(cspace);
        if (at.isLevel1() && type != CapType.L2_CNODE) {
            throw new CapabilityException(WRONG_TYPE, "an L1 slot holds only L2 CNodes, not a " + type);
        }
        Slot dest = freeSlot(cspace, at);
        CopySet object = null;
        for (CopySet c : allLive()) {
            if (c.owner == owner && isCopy(c, type, base, size)) {
                object = c;
                break;
            }
        }
        if (object == null) {
            object = new CopySet(nextId++, type, base, size, owner);
            foreign.add(object);
        }
        addEntry(object, rights, dest.cnode, dest.index);
        if (sender != core) {
            object.remoteCopies.add(sender);
            object.remoteDescendants.add(sender);
        }
    }

    /** Monitor side: the identity of a capability about to be sent, which needs GRANT. */
    synchronized CapIdentity sendable(CSpace cspace, CapAddress at) {
        CapEntry e = resolve(cspace, at);
        need(e, Right.GRANT, "send");
        return e.identity();
    }

    /**
     * Monitor side: the identity of the capability a binding is sending by reference. Refused (and nothing is
     * sent) unless this store made the reference, its copy is still alive, and the copy has GRANT.
     */
    synchronized CapIdentity sendable(CapRef ref) {
        if (ref.store != this) {
            throw new CapabilityException(FOREIGN_STORE, "a reference made by core " + ref.store.core()
                    + " cannot be sent from core " + core);
        }
        alive(ref.entry, "the sent capability's slot " + ref.address());
        need(ref.entry, Right.GRANT, "send");
        return ref.entry.identity();
    }

    /**
     * Monitor side: a capability sent by reference has been installed on {@code remoteCore}. Records that core as
     * holding a copy; with {@code giveAway}, deletes the sender's copy, which needs no agreement because the
     * object lives on in the receiver's copy. Refused, changing nothing, if the sender's copy is gone.
     */
    synchronized void sent(CapRef ref, int remoteCore, boolean giveAway) {
        sendable(ref);
        if (remoteCore == core) {
            throw new IllegalArgumentException("core " + core + " is this core");
        }
        CopySet object = ref.entry.object;
        object.remoteCopies.add(remoteCore);
        for (CopySet a = object; a != null; a = a.parent) {
            a.remoteDescendants.add(remoteCore);
        }
        if (giveAway) {
            remove(ref.entry, CapEntry.State.DELETED);
        }
    }

    /** Monitor side: notes that {@code remoteCore} now holds a copy of the capability at {@code at}. */
    synchronized void recordRemoteCopy(CSpace cspace, CapAddress at, int remoteCore) {
        own(cspace);
        if (remoteCore == core) {
            throw new IllegalArgumentException("core " + core + " is this core");
        }
        CopySet object = resolve(cspace, at).object;
        object.remoteCopies.add(remoteCore);
        for (CopySet a = object; a != null; a = a.parent) {
            a.remoteDescendants.add(remoteCore);
        }
    }

    /**
     * Monitor side: notes that {@code remoteCore} no longer holds a copy of this object nor anything made from it.
     * Ancestors keep their record of the core (it may hold descendants of theirs through another object).
     */
    synchronized void forgetRemoteCopy(CSpace cspace, CapAddress at, int remoteCore) {
        own(cspace);
        CopySet object = resolve(cspace, at).object;
        object.remoteCopies.remove(remoteCore);
        object.remoteDescendants.remove(remoteCore);
    }

    /** The cores recorded as holding copies of the capability at {@code at}. */
    synchronized Set<Integer> remoteCopies(CSpace cspace, CapAddress at) {
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
        Reservation mine;
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
                mine = new Reservation(plan.base, plan.bytes(), core);
                reservations.add(mine);
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
                    reservations.remove(mine);
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
                    reservations.remove(mine);
                }
                k.done(why);
            }
        });
    }

    private RetypePlan checkRetype(CSpace cs, CapAddress src, long offset, CapType type, long objSize, int count,
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
            if (from.type.isMemory()) {
                for (CopySet c : linkedByMemory(from)) {
                    if (c != from && !isCopy(c, from.type, from.base, from.size) && c.overlaps(base, bytes)) {
                        throw new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a "
                                + "live " + c.type + " at [" + c.base + ", " + (c.base + c.size) + ")");
                    }
                }
                for (Reservation r : reservations) {
                    if (r.overlaps(base, bytes)) {
                        throw new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a "
                                + "retype in progress for core " + r.holder + " at [" + r.base + ", "
                                + (r.base + r.bytes) + ")");
                    }
                }
            }
        }
        return new RetypePlan(e, type, base, objSize, count, destNode, destFirst);
    }

    /** The other cores a retype must ask: the owner if foreign, and cores with copies or descendants. */
    private Set<Integer> retypeScope(RetypePlan plan) {
        CopySet from = plan.entry.object;
        if (plan.type.overlapExempt(from.type)) {
            return Set.of();
        }
        Set<Integer> cores = otherCores(List.of(from));
        cores.addAll(from.remoteDescendants);
        cores.remove(core);
        return cores;
    }

    private void create(RetypePlan plan) {
        CopySet from = plan.entry.object;
        for (int i = 0; i < plan.count; i++) {
            CopySet child = new CopySet(nextId++, plan.type, plan.base + i * plan.objSize, plan.objSize, core);
            child.parent = from;
            from.children.add(child);
            addEntry(child, plan.entry.rights, plan.destNode, plan.destFirst.l2() + i);
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
            need(e, Right.GRANT, "copy to another dispatcher");
        }
        install(e, rights == null ? e.rights : rights, destCs, dest);
    }

    synchronized CapRef ref(CSpace cs, CapAddress at) {
        CapEntry e = resolve(cs, at);
        need(e, Right.GRANT, "send");
        return new CapRef(this, e, at);
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
                atOnce(d -> agreement.deleteLast(core, e.identity(), others, d), "delete");
            }
        }
        remove(e, CapEntry.State.DELETED);
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
            others = e.object.entries.size() == 1 ? otherCores(List.of(e.object)) : Set.of();
            if (others.isEmpty()) {
                remove(e, CapEntry.State.DELETED);
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
                        remove(e, CapEntry.State.DELETED);
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
        need(e, Right.WRITE, "revoke");
        Set<Integer> others = revokeScope(e);
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
                need(e, Right.WRITE, "revoke");
            } catch (CapabilityException x) {
                k.done(x);
                return;
            }
            others = revokeScope(e);
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

    private Set<Integer> revokeScope(CapEntry e) {
        List<CopySet> subtree = e.object.subtree();
        Set<Integer> others = otherCores(subtree);
        for (CopySet c : subtree) {
            others.addAll(c.remoteDescendants);
        }
        others.remove(core);
        return others;
    }

    /** Deletes every other copy of {@code e}'s object and every descendant on this core, keeping {@code e}. */
    private void sweepLocally(CapEntry e) {
        List<CopySet> subtree = e.object.subtree();
        for (CopySet c : subtree) {
            c.remoteCopies.clear();
        }
        List<CapEntry> doomed = new ArrayList<>();
        for (CopySet c : subtree) {
            for (CapEntry x : c.entries) {
                if (x != e) {
                    doomed.add(x);
                }
            }
        }
        for (CopySet c : linkedByMemory(e.object)) {
            for (CapEntry x : c.entries) {
                if (x != e && !doomed.contains(x)) {
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

    // ---- monitor side: the parts other cores' operations ask of this one ----

    /**
     * As the owner of the memory {@code [base, base + bytes)}, lets {@code requester} retype it: refused if a
     * retype of overlapping memory is under way (here, or granted to another core); else reserved until
     * {@link #releaseRetype}. The owner is the sequencer that makes one of two concurrent retypes lose.
     *
     * @return null when granted, else the refusal
     */
    synchronized CapabilityException grantRetype(long base, long bytes, int requester) {
        for (Reservation r : reservations) {
            if (r.overlaps(base, bytes)) {
                return new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a retype "
                        + "in progress for core " + r.holder + " (sequenced by core " + core + ")");
            }
        }
        reservations.add(new Reservation(base, bytes, requester));
        return null;
    }

    /** Ends a retype granted by {@link #grantRetype}, done or abandoned. */
    synchronized void releaseRetype(long base, long bytes, int requester) {
        reservations.remove(new Reservation(base, bytes, requester));
    }

    /**
     * Whether this core holds a live descendant of the object {@code (type, objBase, objSize)} that overlaps
     * {@code [base, base + bytes)} (Barrelfish's {@code check_retypeable} on one core). Descendants are found by the
     * memory they cover, so copies that arrived from other cores count too.
     *
     * @return null if none, else the refusal
     */
    synchronized CapabilityException checkRetypeable(CapType type, long objBase, long objSize, long base,
            long bytes) {
        for (CopySet c : allLive()) {
            if (c.overlaps(base, bytes) && descendsFrom(c, type, objBase, objSize)) {
                return new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a live "
                        + c.type + " at [" + c.base + ", " + (c.base + c.size) + ") on core " + core);
            }
        }
        return null;
    }

    /**
     * A revoke from another core: deletes (as revoked) every copy here of the object {@code (type, base, size)}
     * and of its descendants. Returns how many copies went.
     */
    synchronized int sweepRevoked(CapType type, long base, long size) {
        List<CapEntry> doomed = new ArrayList<>();
        for (CopySet c : allLive()) {
            if (isCopy(c, type, base, size) || descendsFrom(c, type, base, size)) {
                doomed.addAll(c.entries);
            }
        }
        int n = 0;
        for (CapEntry x : doomed) {
            if (x.live()) {
                remove(x, CapEntry.State.REVOKED);
                n++;
            }
        }
        return n;
    }

    private static boolean isCopy(CopySet c, CapType type, long base, long size) {
        return c.type == type && c.base == base && c.size == size;
    }

    /**
     * Whether {@code c} is a descendant of the object {@code (type, base, size)}, judged by memory (memory exists
     * once, so what lies inside an object came from it): inside its range and not the object itself; at the same
     * range, only types that can be made from it (a RAM that a Frame was retyped from is its ancestor).
     */
    private static boolean descendsFrom(CopySet c, CapType type, long base, long size) {
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

    /**
     * The live objects here that copy or descend from {@code object} without a derivation link to it, found by the
     * memory they cover (retype and revoke both need them). Copies that arrived from other cores are copy sets of
     * their own, so they and what was retyped from them are always among them. When {@code object} itself arrived
     * (a capability given away and sent back arrives as a new copy set, while what was retyped from it here before
     * it left stays in the boot tree), this core's own tree is linked to it by memory only, so every live object
     * here is searched.
     */
    private List<CopySet> linkedByMemory(CopySet object) {
        return arrived(object) ? allLiveInside(object.type, object.base, object.size)
                : foreignAndInside(object.type, object.base, object.size);
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
    private List<CopySet> allLiveInside(CapType type, long base, long size) {
        List<CopySet> out = new ArrayList<>();
        for (CopySet c : allLive()) {
            if (isCopy(c, type, base, size) || descendsFrom(c, type, base, size)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every live object on this core: the boot trees and the trees of copies that arrived from other cores. */
    private List<CopySet> allLive() {
        List<CopySet> out = liveObjects();
        for (CopySet f : foreign) {
            if (f.live) {
                out.addAll(f.subtree());
            }
        }
        return out;
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
}
