package io.flotilla.kernel.cap;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One core's record of which other cores hold copies of its objects, or descendants of them (Barrelfish's
 * {@code remote_copies} and {@code remote_descs} bits), and so which cores an operation must ask. The monitors keep
 * it up to date as capabilities are sent ({@link #record}, {@link #sentTo}) and arrive ({@link #arrivedFrom}).
 *
 * <p>The record lives on the copy sets themselves ({@link CopySet#remoteCopies}, {@link CopySet#remoteDescendants});
 * this class is the one place that writes and reads it. Its public-to-the-package entry points take the store's
 * lock; the rest run under it, called by the store's other operations.
 */
final class RemoteCopies {

    private final CapabilityStore store;
    private final int core;

    RemoteCopies(CapabilityStore store) {
        this.store = store;
        this.core = store.core();
    }

    /** Monitor side: notes that {@code remoteCore} now holds a copy of the capability at {@code at}. */
    void record(CSpace cspace, CapAddress at, int remoteCore) {
        synchronized (store) {
            store.own(cspace);
            if (remoteCore == core) {
                throw new IllegalArgumentException("core " + core + " is this core");
            }
            sentTo(CapLookup.resolve(cspace, at).object, remoteCore);
        }
    }

    /**
     * Monitor side: notes that {@code remoteCore} no longer holds a copy of this object nor anything made from it.
     * Ancestors keep their record of the core (it may hold descendants of theirs through another object).
     */
    void forget(CSpace cspace, CapAddress at, int remoteCore) {
        synchronized (store) {
            store.own(cspace);
            CopySet object = CapLookup.resolve(cspace, at).object;
            object.remoteCopies.remove(remoteCore);
            object.remoteDescendants.remove(remoteCore);
        }
    }

    /** The cores recorded as holding copies of the capability at {@code at}. */
    Set<Integer> holders(CSpace cspace, CapAddress at) {
        synchronized (store) {
            store.own(cspace);
            return Set.copyOf(CapLookup.resolve(cspace, at).object.remoteCopies);
        }
    }

    // ---- under the store's lock ----

    /** {@code remoteCore} was given a copy of {@code object}: it holds a copy, and a descendant of every ancestor. */
    void sentTo(CopySet object, int remoteCore) {
        object.remoteCopies.add(remoteCore);
        for (CopySet a = object; a != null; a = a.parent) {
            a.remoteDescendants.add(remoteCore);
        }
    }

    /** A copy of {@code object} arrived from {@code sender}, which therefore holds copies or descendants of it. */
    void arrivedFrom(CopySet object, int sender) {
        if (sender != core) {
            object.remoteCopies.add(sender);
            object.remoteDescendants.add(sender);
        }
    }

    /** A revoke swept this subtree here: the copies other cores held are being swept by their own cores. */
    static void revoked(List<CopySet> subtree) {
        for (CopySet c : subtree) {
            c.remoteCopies.clear();
        }
    }

    /** The cores besides this one that an operation over these copy sets involves: owners and copy holders. */
    Set<Integer> otherCores(List<CopySet> sets) {
        Set<Integer> cores = new TreeSet<>();
        for (CopySet c : sets) {
            cores.addAll(c.remoteCopies);
            if (c.owner != core) {
                cores.add(c.owner);
            }
        }
        return cores;
    }

    /** The other cores a retype of {@code from} must ask: the owner if foreign, and cores with copies or descendants. */
    Set<Integer> retypeScope(CopySet from) {
        Set<Integer> cores = otherCores(List.of(from));
        cores.addAll(from.remoteDescendants);
        cores.remove(core);
        return cores;
    }

    /** The other cores a revoke of {@code object} must ask: everyone involved with any object of its subtree. */
    Set<Integer> revokeScope(CopySet object) {
        List<CopySet> subtree = object.subtree();
        Set<Integer> others = otherCores(subtree);
        for (CopySet c : subtree) {
            others.addAll(c.remoteDescendants);
        }
        others.remove(core);
        return others;
    }
}
