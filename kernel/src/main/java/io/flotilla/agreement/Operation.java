package io.flotilla.agreement;

/**
 * One operation as one core sees it: as its coordinator ({@code parent} -1), as a forwarder that passes it on to
 * cores of its package, or as a leaf. Counts what it still waits for from its children in the multicast tree
 * ({@code pending}) and what they reported (votes, acknowledgements, the first refusal).
 */
final class Operation {
    final Proposal p;
    final int parent;
    final int[] children;
    final boolean twoPhase;
    /** The coordinator's caller; null on other cores. */
    Outcome outcome;
    /** Participants other than the coordinator: the votes or acknowledgements the coordinator must gather. */
    int expected;
    /** Whether this core is a participant itself (always, on a core other than the coordinator). */
    boolean local;
    boolean votedYes;
    boolean committed;
    int pending;
    int voters;
    int acks;
    int refusal;
    int refuser = -1;

    Operation(Proposal p, int parent, int[] children, boolean twoPhase) {
        this.p = p;
        this.parent = parent;
        this.children = children;
        this.twoPhase = twoPhase;
        this.pending = children.length;
    }
}
