package io.flotilla.kernel.cap;

import static io.flotilla.cap.CapabilityException.Kind.FOREIGN_STORE;
import static io.flotilla.cap.CapabilityException.Kind.OVERLAP;
import static io.flotilla.cap.CapabilityException.Kind.WRONG_TYPE;

import io.flotilla.cap.CapabilityException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a core's monitor does to its store on behalf of other cores: the operations that create or move authority
 * across cores (place a copy that arrived, send one away, answer another core's retype or revoke). Barrelfish's
 * monitor does these with the CPU driver's {@code monitor_*} capability invocations, which no other domain may
 * call; here they are package-private, reached only by this package's {@link CapabilityMonitor} and
 * {@link CapabilityCourier}, so no program can mint or move a capability (see {@link CapabilityStore}).
 *
 * <p>Every method takes the store's lock for its whole body, as the CSpace operations do.
 */
final class MonitorOperations {

    private final CapabilityStore store;
    private final int core;
    private final DerivationTree tree;
    private final RetypeReservations reservations;
    private final RemoteCopies remote;

    MonitorOperations(CapabilityStore store) {
        this.store = store;
        this.core = store.core();
        this.tree = store.tree;
        this.reservations = store.reservations;
        this.remote = store.remote;
    }

    /**
     * Places a copy of a capability owned by another core (a {@code caprep} that arrived), as Barrelfish's
     * {@code monitor_cap_create}. Operations on it that need its owner go to the agreement.
     */
    void createForeign(CSpace cspace, CapAddress at, CapType type, long base, long size, Rights rights, int owner) {
        synchronized (store) {
            store.own(cspace);
            if (owner == core) {
                throw new IllegalArgumentException("a foreign capability is owned by another core");
            }
            CapLookup.Slot dest = CapLookup.freeSlot(cspace, at);
            CopySet object = tree.newObject(type, base, size, owner);
            tree.addForeign(object);
            DerivationTree.addEntry(object, rights, dest.cnode(), dest.index());
        }
    }

    /**
     * Places a copy that arrived from core {@code sender} (a capability sent through the monitors). If this core
     * already holds the object, the arrival joins that copy set, as a local copy would; otherwise it becomes a copy set
     * of its own. Either way the sender is recorded as holding copies or descendants, so a retype or revoke of it asks
     * the other cores.
     */
    void installArrived(CSpace cspace, CapAddress at, CapType type, long base, long size,
            Rights rights, int owner, int sender) {
        synchronized (store) {
            store.own(cspace);
            if (at.isLevel1() && type != CapType.L2_CNODE) {
                throw new CapabilityException(WRONG_TYPE, "an L1 slot holds only L2 CNodes, not a " + type);
            }
            CapLookup.Slot dest = CapLookup.freeSlot(cspace, at);
            CopySet object = tree.liveCopyOf(owner, type, base, size);
            if (object == null) {
                object = tree.newObject(type, base, size, owner);
                tree.addForeign(object);
            }
            DerivationTree.addEntry(object, rights, dest.cnode(), dest.index());
            remote.arrivedFrom(object, sender);
        }
    }

    /** The identity of a capability about to be sent, which needs GRANT. */
    CapIdentity sendable(CSpace cspace, CapAddress at) {
        synchronized (store) {
            CapEntry e = store.resolve(cspace, at);
            CapLookup.need(e, Right.GRANT, "send");
            return e.identity();
        }
    }

    /**
     * The identity of the capability a binding is sending by reference. Refused (and nothing is sent) unless this store
     * made the reference, its copy is still alive, and the copy has GRANT.
     */
    CapIdentity sendable(CapRef ref) {
        synchronized (store) {
            if (ref.store != store) {
                throw new CapabilityException(FOREIGN_STORE, "a reference made by core " + ref.store.core()
                        + " cannot be sent from core " + core);
            }
            CapLookup.alive(ref.entry, "the sent capability's slot " + ref.address());
            CapLookup.need(ref.entry, Right.GRANT, "send");
            return ref.entry.identity();
        }
    }

    /**
     * A capability sent by reference has been installed on {@code remoteCore}. Records that core as holding a copy;
     * with {@code giveAway}, deletes the sender's copy, which needs no agreement because the object lives on in the
     * receiver's copy. Refused, changing nothing, if the sender's copy is gone.
     */
    void sent(CapRef ref, int remoteCore, boolean giveAway) {
        synchronized (store) {
            sendable(ref);
            if (remoteCore == core) {
                throw new IllegalArgumentException("core " + core + " is this core");
            }
            remote.sentTo(ref.entry.object, remoteCore);
            if (giveAway) {
                tree.remove(ref.entry, CapEntry.State.DELETED);
            }
        }
    }

    // ---- the parts other cores' operations ask of this one ----

    /**
     * As the owner of the memory {@code [base, base + bytes)}, lets {@code requester} retype it: refused if a retype of
     * overlapping memory is under way (here, or granted to another core); else reserved until {@link #releaseRetype}.
     * The owner is the sequencer that makes one of two concurrent retypes lose.
     *
     * @return null when granted, else the refusal
     */
    CapabilityException grantRetype(long base, long bytes, int requester) {
        synchronized (store) {
            RetypeReservations.Reservation r = reservations.overlapping(base, bytes);
            if (r != null) {
                return new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a retype "
                        + "in progress for core " + r.holder() + " (sequenced by core " + core + ")");
            }
            reservations.hold(base, bytes, requester);
            return null;
        }
    }

    /** Ends a retype granted by {@link #grantRetype}, done or abandoned. */
    void releaseRetype(long base, long bytes, int requester) {
        synchronized (store) {
            reservations.release(new RetypeReservations.Reservation(base, bytes, requester));
        }
    }

    /**
     * Whether this core holds a live descendant of the object {@code (type, objBase, objSize)} that overlaps {@code
     * [base, base + bytes)} (Barrelfish's {@code check_retypeable} on one core). Descendants are found by the memory
     * they cover, so copies that arrived from other cores count too.
     *
     * @return null if none, else the refusal
     */
    CapabilityException checkRetypeable(CapType type, long objBase, long objSize, long base, long bytes) {
        synchronized (store) {
            for (CopySet c : tree.allLive()) {
                if (c.overlaps(base, bytes) && DerivationTree.descendsFrom(c, type, objBase, objSize)) {
                    return new CapabilityException(OVERLAP, "[" + base + ", " + (base + bytes) + ") overlaps a live "
                            + c.type + " at [" + c.base + ", " + (c.base + c.size) + ") on core " + core);
                }
            }
            return null;
        }
    }

    /**
     * A revoke from another core: deletes (as revoked) every copy here of the object {@code (type, base, size)} and of
     * its descendants. Returns how many copies went.
     */
    int sweepRevoked(CapType type, long base, long size) {
        synchronized (store) {
            List<CapEntry> doomed = new ArrayList<>();
            for (CopySet c : tree.allLive()) {
                if (DerivationTree.isCopy(c, type, base, size) || DerivationTree.descendsFrom(c, type, base, size)) {
                    doomed.addAll(c.entries);
                }
            }
            int n = 0;
            for (CapEntry x : doomed) {
                if (x.live()) {
                    tree.remove(x, CapEntry.State.REVOKED);
                    n++;
                }
            }
            return n;
        }
    }
}
