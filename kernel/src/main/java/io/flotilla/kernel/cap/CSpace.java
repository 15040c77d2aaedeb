package io.flotilla.kernel.cap;

import java.util.List;

/**
 * One dispatcher's capability space: the only way it names capabilities. Every operation takes addresses in this
 * CSpace, so a dispatcher can use only what it holds; an empty or foreign slot, a missing right, a wrong type or a
 * revoked capability is refused with a {@link CapabilityException} whose kind says which.
 *
 * <p>These are Barrelfish's CNode invocations (digest §5.3). Rights needed: identify needs IDENTIFY; retype and
 * revoke need WRITE; copying into another dispatcher's CSpace or sending needs GRANT; delete needs none (dropping
 * one's own copy is always allowed).
 */
public final class CSpace {

    final CapabilityStore store;
    final CNode root;
    private final String dispatcher;

    CSpace(CapabilityStore store, String dispatcher, CNode root) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.root = root;
    }

    public String dispatcher() {
        return dispatcher;
    }

    /** The core whose store holds this CSpace. */
    public int core() {
        return store.core();
    }

    /** Type, range, rights and owner of the capability at {@code at}. Needs IDENTIFY. */
    public CapIdentity identify(CapAddress at) {
        return store.cspaceOps.identify(this, at);
    }

    /**
     * The check every kernel invocation on a capability starts with: it is held, of {@code type}, and carries
     * {@code right}. Returns its identity.
     */
    public CapIdentity invoke(CapAddress at, CapType type, Right right) {
        return store.cspaceOps.invoke(this, at, type, right);
    }

    /**
     * Retypes part of the capability at {@code src} into {@code count} objects of {@code type}, each
     * {@code objectSize} long, the first at {@code offset} into the source, placed in consecutive slots from
     * {@code destFirst}. The new capabilities carry the source copy's rights. Refused if the range overlaps a live
     * descendant of the source (except dispatcher to LMP endpoint, which carries no memory).
     */
    public void retype(CapAddress src, long offset, CapType type, long objectSize, int count, CapAddress destFirst) {
        store.cspaceOps.retype(this, src, offset, type, objectSize, count, destFirst);
    }

    /**
     * Split-phase retype: the same checks and effect as {@link #retype(CapAddress, long, CapType, long, int,
     * CapAddress)}, but when other cores are involved (the source is owned elsewhere, or copies or descendants live
     * on other cores) it waits for their agreement through the monitors and then runs {@code k} on this core: with
     * null once the objects exist, else with the refusal (e.g. {@code OVERLAP} when another core's retype of the
     * same memory won).
     */
    public void retype(CapAddress src, long offset, CapType type, long objectSize, int count, CapAddress destFirst,
            CapContinuation k) {
        store.cspaceOps.retype(this, src, offset, type, objectSize, count, destFirst, k);
    }

    /**
     * Split-phase revoke: sweeps this core at once, then has every other core involved delete its copies and
     * descendants; {@code k} runs when all have.
     */
    public void revoke(CapAddress at, CapContinuation k) {
        store.cspaceOps.revoke(this, at, k);
    }

    /** Split-phase delete, for a last copy whose deletion other cores must hear of. */
    public void delete(CapAddress at, CapContinuation k) {
        store.cspaceOps.delete(this, at, k);
    }

    /** Copies the capability at {@code src} into {@code dest} of this CSpace, with the same rights. */
    public void copy(CapAddress src, CapAddress dest) {
        store.cspaceOps.copy(this, src, this, dest, null);
    }

    /** Copies into another dispatcher's CSpace on the same core. Needs GRANT. */
    public void copyTo(CapAddress src, CSpace other, CapAddress dest) {
        store.cspaceOps.copy(this, src, other, dest, null);
    }

    /** Copies with {@code rights}, which must be a subset of the source's: mint can only take rights away. */
    public void mint(CapAddress src, CapAddress dest, Rights rights) {
        store.cspaceOps.copy(this, src, this, dest, rights);
    }

    /** Deletes the copy at {@code at}; the object dies with its last copy. Other copies and descendants stay. */
    public void delete(CapAddress at) {
        store.cspaceOps.delete(this, at);
    }

    /** Deletes every other copy of the capability at {@code at} and every descendant, keeping this copy. Needs WRITE. */
    public void revoke(CapAddress at) {
        store.cspaceOps.revoke(this, at);
    }

    /** The live objects retyped directly from the capability at {@code at} (rights shown as none). Needs IDENTIFY. */
    public List<CapIdentity> children(CapAddress at) {
        return store.cspaceOps.children(this, at);
    }

    /** A reference to the capability at {@code at}, to send over a binding. Needs GRANT. */
    public CapRef ref(CapAddress at) {
        return store.cspaceOps.ref(this, at);
    }

    /**
     * Installs a received reference at {@code dest}, with the sender's rights; with {@code giveAway} the sender's
     * copy is deleted. Refused if the reference was made by another core's store or its copy no longer exists.
     */
    public void accept(CapRef ref, CapAddress dest, boolean giveAway) {
        store.cspaceOps.accept(this, ref, dest, giveAway);
    }

    @Override
    public String toString() {
        return "CSpace[" + dispatcher + " on core " + store.core() + "]";
    }
}
