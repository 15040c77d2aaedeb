package io.flotilla.cap;

import java.util.Set;

/**
 * The seam for capability operations that reach other cores (digest §5.4, the monitors' "capops"). A
 * {@link CapabilityStore} handles everything that stays on its core itself, exactly when Barrelfish's kernel would;
 * when an operation touches a capability owned elsewhere or copied to other cores, it asks this agreement first,
 * as the kernel answers {@code SYS_ERR_RETRY_THROUGH_MONITOR} and the monitor takes over.
 *
 * <p>Each method returns normally when every other core involved has agreed (and done its own part), or throws a
 * {@link CapabilityException} to refuse; the store then changes nothing. The monitors' plugin (two-phase commit for
 * retype, mark/sweep for revoke, ownership move for delete) implements this; {@link SingleCoreAgreement} refuses.
 *
 * <p>The store calls these methods while holding its lock: an implementation must not call back into the same
 * store on this thread. Split-phase agreement comes with the runtime.
 */
public interface CapabilityAgreement {

    /**
     * Retype of {@code source} into objects covering {@code [base, base + bytes)}: every core in {@code cores} must
     * confirm it holds no descendant of the source overlapping that range (Barrelfish's
     * {@code capops_check_retypeable} broadcast, committed by the owner).
     *
     * @param core the core asking
     * @param cores the other cores involved: the owner if foreign, and every core holding a copy
     */
    void retype(int core, CapIdentity source, Set<Integer> cores, long base, long bytes);

    /**
     * Revoke of {@code target}: every core in {@code cores} deletes its copies of it and of its descendants
     * (mark, then sweep). When this returns, the store sweeps its own and forgets the remote copies.
     */
    void revoke(int core, CapIdentity target, Set<Integer> cores);

    /**
     * Deletion of the last copy on this core of a capability that has copies elsewhere or is owned elsewhere: the
     * owner must hand ownership to a core that keeps a copy, or learn that this core no longer holds one.
     */
    void deleteLast(int core, CapIdentity target, Set<Integer> cores);
}
