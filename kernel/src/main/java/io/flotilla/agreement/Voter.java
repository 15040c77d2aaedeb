package io.flotilla.agreement;

/**
 * One core's part in an operation, registered per opcode with that core's {@link AgreementService}. Every method
 * runs on the participant's core, in its monitor's event loop, and must not block.
 *
 * <p>Under two-phase commit {@link #prepare} is called first; if every participant votes yes, {@link #commit}
 * follows on each, otherwise {@link #abort} on those that voted yes. Under one-phase commit only {@link #commit} is
 * called: the operation cannot be refused. A coordinator that is itself a participant votes and applies through its
 * own voter, without a message.
 */
public interface Voter {

    /** The vote that agrees. Any other value refuses; its meaning is the voter's own (e.g. an error kind). */
    int YES = 0;

    /**
     * Phase one: may this core apply {@code p}? A yes is a promise: until commit or abort the voter must keep
     * itself able to apply (reserve, lock) and refuse what would conflict.
     *
     * @return {@link #YES}, or a positive refusal code that the coordinator's {@link Outcome} receives
     */
    default int prepare(Proposal p) {
        return YES;
    }

    /** Applies {@code p}: every participant agreed (two-phase) or the coordinator decided (one-phase). */
    void commit(Proposal p);

    /** Some participant refused {@code p}, which this voter had agreed to: release what {@link #prepare} kept. */
    default void abort(Proposal p) {}
}
