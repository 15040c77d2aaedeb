package io.flotilla.agreement;

import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * One core's agreement monitor: the per-core dispatcher that runs one-phase and two-phase commit for every
 * operation this core coordinates, forwards or takes part in. It stands in for the part of Barrelfish's monitor that
 * runs agreement: a dispatcher of its own on every core, talking to its peers over ordinary bindings of the
 * {@code agreement} interface, needing nothing from the kernel's {@code Monitor} beyond export and bind.
 *
 * <p>This class only wires the three parts of the protocol, which all run on this core's thread:
 * {@link AgreementCoordinator} runs the operations this core proposes (plan, fan-out, votes, outcome);
 * {@link AgreementParticipant} votes, applies and acknowledges for operations others propose, forwarding within
 * its package where the plan says so; {@link AgreementLinks} reaches the peers over the generated
 * {@code agreement.if} bindings and hands what arrives to the other two.
 */
public final class AgreementMonitor extends Dispatcher implements AgreementService {

    /** The refusal a participant sends when no voter is registered for the opcode. */
    public static final int NO_VOTER = Integer.MAX_VALUE;

    private final List<String> errors = new ArrayList<>();
    private final AgreementLinks links;
    private final AgreementParticipant participant;
    private final AgreementCoordinator coordinator;

    AgreementMonitor(AgreementMonitors group) {
        Operations ops = new Operations(this, errors);
        this.links = new AgreementLinks(this, group, errors, new Inbound());
        this.participant = new AgreementParticipant(this, links, ops, errors);
        this.coordinator = new AgreementCoordinator(this, group, participant, links, ops, errors);
    }

    @Override
    protected void onStart() {
        export(AgreementLinks.serviceName(core()), b -> {
            links.accepted(b);
            return true;
        });
    }

    // ---- AgreementService ----

    @Override
    public void register(int opcode, Voter voter) {
        participant.register(opcode, voter);
    }

    @Override
    public List<String> protocols() {
        return coordinator.protocols();
    }

    @Override
    public Agreement agreement(String name) {
        return coordinator.agreement(name);
    }

    @Override
    public Agreement select(String purpose, CoreSet participants) {
        return agreement(AgreementRules.protocolFor(skb(), purpose, participants.size()));
    }

    /** Problems seen (a vote count that does not add up, a peer that could not be bound); empty when all is well. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Where each message from a peer goes: phase one, phase two and apply to the participant; counts upward. */
    private final class Inbound implements AgreementLinks.Inbound {
        @Override
        public void prepare(int from, Proposal p, long members) {
            participant.onPrepare(from, p, members);
        }

        @Override
        public void apply(int from, Proposal p, long members) {
            participant.onApply(from, p, members);
        }

        @Override
        public void vote(long id, int voters, int refusal, int refuser) {
            coordinator.onVote(id, voters, refusal, refuser);
        }

        @Override
        public void decision(long id, boolean committed) {
            participant.onDecision(id, committed);
        }

        @Override
        public void ack(long id, int count) {
            coordinator.onAck(id, count);
        }
    }
}
