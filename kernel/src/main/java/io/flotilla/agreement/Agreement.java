package io.flotilla.agreement;

/**
 * One agreement protocol as seen from one core: what a caller proposes through. Obtained from the core's
 * {@link AgreementService} by name or by SKB rule; the calling code is the same for every protocol.
 */
public interface Agreement {

    /** Every participant applies; nobody can refuse; acknowledgements gathered. */
    String ONE_PHASE = "one-phase";
    /** Prepare, votes, then commit or abort, then acknowledgements. */
    String TWO_PHASE = "two-phase";

    /** This protocol's name, e.g. {@link #TWO_PHASE}. */
    String protocol();

    /** The core proposals are made from. */
    int core();

    /**
     * Puts an operation to the {@code participants} (which may include this core) and returns at once with its id;
     * {@code outcome} runs on this core when it is decided and when it has completed. Many operations may be in
     * flight; those with the same participants complete in the order they were proposed. Must be called on this
     * core (from a dispatcher's handler there).
     *
     * @throws IllegalArgumentException for an empty participant set or a core that was not booted
     */
    long propose(int opcode, long a0, long a1, long a2, long a3, CoreSet participants, Outcome outcome);

    /**
     * As {@link #propose(int, long, long, long, long, CoreSet, Outcome)}, with a string {@code payload} that every
     * participant's voter sees as {@link Proposal#payload()} (in prepare and commit under two-phase commit, in commit
     * under one-phase). A null or empty payload is the payload-free operation, sent exactly as that one is. A
     * protocol that cannot carry payloads keeps this default, which refuses a non-empty one.
     *
     * @throws IllegalArgumentException for a payload {@link Proposal#checkPayload} refuses, and as the other overload
     * @throws UnsupportedOperationException for a non-empty payload, if this protocol carries none
     */
    default long propose(int opcode, long a0, long a1, long a2, long a3, String payload, CoreSet participants,
            Outcome outcome) {
        Proposal.checkPayload(payload);
        if (payload == null || payload.isEmpty()) {
            return propose(opcode, a0, a1, a2, a3, participants, outcome);
        }
        throw new UnsupportedOperationException("agreement protocol '" + protocol() + "' carries no payload");
    }

    /** Operations proposed here that have not completed. */
    int inFlight();
}
