package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

import java.util.Set;

/**
 * The seam for capability operations that reach other cores (digest §5.4, the monitors' "capops"). A
 * {@link CapabilityStore} handles everything that stays on its core itself, exactly when Barrelfish's kernel would;
 * when an operation touches a capability owned elsewhere, copied to other cores, or with descendants on other cores,
 * it asks this agreement first, as the kernel answers {@code SYS_ERR_RETRY_THROUGH_MONITOR} and the monitor takes
 * over.
 *
 * <p>Split-phase: each method starts the agreement and returns; the {@link Decision} is told later, on the same
 * core (or at once, by an agreement that needs no messages). The store changes nothing until it hears
 * {@link Decision#agreed()}, and nothing at all on {@link Decision#refused}. An agreement that answers later
 * ({@link #splitPhase()}) is reached only through the split-phase operations of {@link CSpace} (those taking a
 * {@link CapContinuation}); the plain ones refuse with {@code REMOTE_REQUIRED} rather than wait.
 *
 * <p>The kernel's {@link CapabilityMonitor} implements this with two-phase commit among the cores' agreement
 * monitors; {@link SingleCoreAgreement} refuses everything.
 */
public interface CapabilityAgreement {

    /** How an agreement answers. Called once, on the asking core. */
    interface Decision {
        void agreed();

        void refused(CapabilityException why);
    }

    /**
     * Whether decisions may come after the method returned (messages to other cores); false for an agreement that
     * always decides before returning.
     */
    default boolean splitPhase() {
        return false;
    }

    /**
     * Retype of {@code source} into objects covering {@code [base, base + bytes)}: every core that may hold a
     * descendant of the source must confirm that none overlaps that range, and the source's owner must sequence it
     * against other retypes of the same memory (Barrelfish's {@code capops_check_retypeable} broadcast under the
     * owner's lock, a two-phase commit).
     *
     * @param core the core asking
     * @param cores the other cores known to be involved: the owner if foreign, cores holding copies or descendants
     */
    void retype(int core, CapIdentity source, Set<Integer> cores, long base, long bytes, Decision decision);

    /**
     * Revoke of {@code target}: every other core deletes its copies of it and of its descendants. The store has
     * swept its own already when it asks.
     */
    void revoke(int core, CapIdentity target, Set<Integer> cores, Decision decision);

    /**
     * Deletion of the last copy on this core of a capability that has copies elsewhere or is owned elsewhere.
     */
    void deleteLast(int core, CapIdentity target, Set<Integer> cores, Decision decision);
}
