package io.flotilla.agreement;

/**
 * The coordinator's continuation: runs on the coordinating core when an operation is decided and, later, when it
 * has completed everywhere.
 */
@FunctionalInterface
public interface Outcome {

    /**
     * The decision. Under two-phase commit it is known once every vote is in, before the second phase: a
     * coordinator that creates something as the result (a retype's new capabilities) does so here, before any
     * participant hears of the commit.
     *
     * @param committed whether every participant agreed
     * @param refusal the first refusal code gathered ({@link Voter#YES} when committed)
     * @param refuser the core that refused, or -1 when committed
     */
    void decided(Proposal p, boolean committed, int refusal, int refuser);

    /** Every participant has applied (or released) the operation and acknowledged it. */
    default void completed(Proposal p, boolean committed) {}
}
