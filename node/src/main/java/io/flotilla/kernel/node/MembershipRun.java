package io.flotilla.kernel.node;

/**
 * What the join protocol's events ({@link Membership}) do to this node's run and its own cores: {@link LocalCores} on
 * a node. Pump thread.
 */
interface MembershipRun {

    /** A peer's dispatcher stopped the multikernel (STOP): this node's run stops. */
    void stopAsked();

    /** The cores {@code first..last} are gone: every local core's monitor must hear it. */
    void coresLost(int first, int last, String reason);

    /** Every peer has gone, or one was lost ({@code lost}): stop once the local cores have handled it. */
    void stopOnceHandled(boolean lost);
}
