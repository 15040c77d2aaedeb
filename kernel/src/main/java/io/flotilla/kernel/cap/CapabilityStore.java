package io.flotilla.kernel.cap;

import static io.flotilla.cap.CapabilityException.Kind.BAD_SIZE;
import static io.flotilla.cap.CapabilityException.Kind.FOREIGN_STORE;
import static io.flotilla.cap.CapabilityException.Kind.OVERLAP;
import static io.flotilla.cap.CapabilityException.Kind.WRONG_TYPE;

import io.flotilla.cap.CapabilityException;
import java.util.List;

/**
 * The capabilities of one core: its derivation tree (Barrelfish's mapping database) and the CSpaces of its
 * dispatchers. What a program can do with it is make a CSpace ({@link #createCSpace}); everything else is reached
 * through a {@link CSpace} or is the kernel's and the monitor's alone, package-private, so that no program can mint
 * or move authority (issue 17; {@code CapabilityAuthorityTest} names this public surface).
 *
 * <p>The store wires its parts, one concept each:
 * <ul>
 *   <li>{@link DerivationTree}: the copy sets and how they derive from one another; removal, and what lies inside
 *       an object's memory;</li>
 *   <li>{@link CSpaceOperations}: what a dispatcher invokes on its own CSpace (identify, retype, copy, send by
 *       reference, delete, revoke), asking the {@link CapabilityAgreement} when other cores are involved;</li>
 *   <li>{@link MonitorOperations}: what the core's monitor does on behalf of other cores (install an arrived copy,
 *       send one, grant or check another core's retype, sweep another core's revoke);</li>
 *   <li>{@link RemoteCopies}: which other cores hold copies or descendants, and so which an operation must ask;</li>
 *   <li>{@link RetypeReservations}: the owner lock over memory with a retype under way.</li>
 * </ul>
 * and itself keeps what the CPU driver does at boot: CSpaces and boot capabilities.
 *
 * <h2>Locking</h2>
 * A store is one core's, as a CPU driver's mapping database is: its operations run on that core (a dispatcher
 * invoking its CSpace, the core's monitor answering another core), one at a time, as they do in a CPU driver. One
 * lock guards all of it: the monitor of this object. Every entry point of every part
 * ({@code CSpaceOperations}, {@code MonitorOperations}, {@code RemoteCopies}' record, forget and holders, and the
 * store's own methods) holds it for as long as it reads or changes the tree, the CNodes, the copy sets, the
 * reservations or the remote bookkeeping; {@code DerivationTree}, {@code RetypeReservations}, {@link CapLookup},
 * {@link CopySet}, {@link CapEntry} and {@link CNode} take no lock and are touched only under it. The lock is
 * re-entrant, so an entry point may call another ({@code sent} checks with {@code sendable}).
 *
 * <p>Why a lock at all, if a store is one core's: other threads do enter it, at known moments. The boot thread
 * makes the CSpaces and boot capabilities ({@link MemoryServer}) before the core runs; a test, or a program that
 * holds a store or a CSpace, may call it from its own thread while the core runs. The lock makes each operation
 * atomic against all of these, so no one sees half of one and a refused operation leaves no trace. On
 * {@code sim} every core runs on one thread and the lock is never contended; on {@code pinned} the core's own
 * thread takes it, uncontended unless another thread is inside at that moment.
 *
 * <p>What never happens under the lock is waiting for another core: a split-phase operation lets the lock go
 * before it asks the agreement (which sends messages) and takes it again when the decision comes, checking again
 * what may have changed. Code outside the store does run under it in two places, both on the calling thread: a
 * split-phase operation refused by its own checks tells its continuation at once, still holding the lock (which
 * is re-entrant, so the continuation may use the store again); and a plain operation asks its agreement under it
 * and needs the answer before it returns (a split-phase agreement is asked only by the plain delete, which the
 * kernel's {@link CapabilityMonitor} answers at once). Other locks around the store's: {@link MemoryServer} and
 * {@link CapabilityCourier} take their own and then the store's; a continuation that called them under the
 * store's lock would take the two the other way round, harmless while both run on the store's core, as they do.
 */
public final class CapabilityStore {

    private final int core;
    final DerivationTree tree;
    final RetypeReservations reservations = new RetypeReservations();
    final RemoteCopies remote;
    final MonitorOperations monitorOps;
    final CSpaceOperations cspaceOps;

    /** A store for a machine without monitors: anything that involves another core is refused. */
    public CapabilityStore(int core) {
        this(core, SingleCoreAgreement.INSTANCE);
    }

    public CapabilityStore(int core, CapabilityAgreement agreement) {
        this.core = core;
        this.tree = new DerivationTree();
        this.remote = new RemoteCopies(this);
        this.monitorOps = new MonitorOperations(this);
        this.cspaceOps = new CSpaceOperations(this, agreement);
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

    // ---- test and invariant support ----

    /**
     * Every live object on this core made from boot memory, roots first (not the kernel-made first CNodes).
     * Package-private: tests check tree invariants with it.
     */
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

    /** Refuses a CSpace of another store: each store operates on its own CSpaces only. */
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
}
