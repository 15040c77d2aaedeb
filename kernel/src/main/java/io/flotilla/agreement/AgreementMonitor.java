package io.flotilla.agreement;

import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One core's agreement monitor: the per-core dispatcher that runs one-phase and two-phase commit for every
 * operation this core coordinates, forwards or takes part in. It stands in for the part of Barrelfish's monitor that
 * runs agreement: a dispatcher of its own on every core, talking to its peers over ordinary bindings of the
 * {@code agreement} interface, needing nothing from the kernel's {@code Monitor} beyond export and bind.
 *
 * <p>{@link AgreementLinks} reaches the peers; {@link AgreementParticipant} votes, applies and acknowledges for
 * operations others propose.
 */
public final class AgreementMonitor extends Dispatcher implements AgreementService {

    /** The refusal a participant sends when no voter is registered for the opcode. */
    public static final int NO_VOTER = Integer.MAX_VALUE;

    private final AgreementMonitors group;
    private final Operations ops;
    private final Map<CoreSet, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CoreSet, Plan> eldest) {
            return size() > 64;
        }
    };
    private final Protocol onePhase = new Protocol(Agreement.ONE_PHASE, false);
    private final Protocol twoPhase = new Protocol(Agreement.TWO_PHASE, true);
    private final AgreementLinks links;
    private final AgreementParticipant participant;
    private java.util.List<io.flotilla.skb.Send> tree;
    private long sequence;
    private int inFlight;
    final List<String> errors = new ArrayList<>();

    AgreementMonitor(AgreementMonitors group) {
        this.group = group;
        this.ops = new Operations(this, errors);
        this.links = new AgreementLinks(this, group, errors, new Inbound());
        this.participant = new AgreementParticipant(this, links, ops, errors);
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
        return List.of(Agreement.ONE_PHASE, Agreement.TWO_PHASE);
    }

    @Override
    public Agreement agreement(String name) {
        return switch (name) {
            case Agreement.ONE_PHASE -> onePhase;
            case Agreement.TWO_PHASE -> twoPhase;
            default -> throw new IllegalArgumentException("no agreement protocol '" + name + "'; there are "
                    + protocols());
        };
    }

    @Override
    public Agreement select(String purpose, CoreSet participants) {
        return agreement(AgreementRules.protocolFor(skb(), purpose, participants.size()));
    }

    /** Problems seen (a vote count that does not add up, a peer that could not be bound); empty when all is well. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    // ---- coordinator ----

    private final class Protocol implements Agreement {
        private final String name;
        private final boolean twoPhase;

        Protocol(String name, boolean twoPhase) {
            this.name = name;
            this.twoPhase = twoPhase;
        }

        @Override
        public String protocol() {
            return name;
        }

        @Override
        public int core() {
            return AgreementMonitor.this.core();
        }

        @Override
        public int inFlight() {
            return inFlight;
        }

        @Override
        public long propose(int opcode, long a0, long a1, long a2, long a3, CoreSet participants, Outcome outcome) {
            return start(twoPhase, opcode, a0, a1, a2, a3, "", participants, outcome);
        }

        @Override
        public long propose(int opcode, long a0, long a1, long a2, long a3, String payload, CoreSet participants,
                Outcome outcome) {
            Proposal.checkPayload(payload);
            return start(twoPhase, opcode, a0, a1, a2, a3, payload == null ? "" : payload, participants, outcome);
        }

        @Override
        public String toString() {
            return name + "@" + AgreementMonitor.this.core();
        }
    }

    private long start(boolean twoPhase, int opcode, long a0, long a1, long a2, long a3, String payload,
            CoreSet participants, Outcome outcome) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("an operation needs at least one participant");
        }
        if (participants.max() >= group.cores()) {
            throw new IllegalArgumentException("participants " + participants + " include a core that was not "
                    + "booted (cores 0.." + (group.cores() - 1) + ")");
        }
        Plan plan = plans.get(participants);
        if (plan == null) {
            plan = group.fanout() == Fanout.MULTICAST
                    ? Plan.multicast(machine(), core(), participants, tree())
                    : Plan.unicast(core(), participants);
            plans.put(participants, plan);
        }
        Proposal p = new Proposal(Proposal.id(core(), ++sequence), opcode, a0, a1, a2, a3, payload);
        Operation op = new Operation(p, -1, plan.targets, twoPhase);
        op.outcome = outcome;
        op.expected = plan.expected;
        op.local = participants.contains(core());
        ops.put(p.id(), op);
        inFlight++;
        if (twoPhase) {
            if (op.local) {
                op.refusal = participant.vote(p);
                op.votedYes = op.refusal == Voter.YES;
                op.refuser = op.votedYes ? -1 : core();
            }
            for (int i = 0; i < plan.targets.length; i++) {
                long members = plan.members[i];
                links.prepare(plan.targets[i], p, members);
            }
            if (op.pending == 0) {
                decide(op);
            }
        } else {
            op.committed = true;
            if (op.local) {
                participant.applyLocally(p);
            }
            for (int i = 0; i < plan.targets.length; i++) {
                long members = plan.members[i];
                links.apply(plan.targets[i], p, members);
            }
            if (op.pending == 0) {
                complete(op);
            }
        }
        return p.id();
    }

    /** Every vote is in: tell the caller, apply or release here, then start phase two. */
    private void decide(Operation op) {
        if (op.voters != op.expected) {
            errors.add("operation " + op.p + ": " + op.voters + " votes for " + op.expected + " participants");
        }
        boolean committed = op.refusal == Voter.YES;
        op.committed = committed;
        op.outcome.decided(op.p, committed, op.refusal, committed ? -1 : op.refuser);
        participant.finishLocally(op);
        long id = op.p.id();
        op.pending = op.children.length;
        for (int c : op.children) {
            links.decision(c, id, committed);
        }
        if (op.pending == 0) {
            complete(op);
        }
    }

    private void complete(Operation op) {
        ops.remove(op.p.id());
        inFlight--;
        if (!op.twoPhase) {
            if (op.acks != op.expected) {
                errors.add("operation " + op.p + ": " + op.acks + " acknowledgements for " + op.expected
                        + " participants");
            }
            op.outcome.decided(op.p, true, Voter.YES, -1);
        }
        op.outcome.completed(op.p, op.committed);
    }

    /** The SKB's multicast tree from this core, asked for once (a Prolog query is not for every operation). */
    private java.util.List<io.flotilla.skb.Send> tree() {
        if (tree == null) {
            tree = skb().multicastTree(core());
        }
        return tree;
    }

    // ---- counting what comes up the tree ----

    private void onVote(long id, int voters, int refusal, int refuser) {
        Operation op = ops.existing(id, "vote");
        if (op == null) {
            return;
        }
        op.voters += voters;
        if (op.refusal == Voter.YES && refusal != Voter.YES) {
            op.refusal = refusal;
            op.refuser = refuser;
        }
        if (--op.pending == 0) {
            if (op.parent < 0) {
                decide(op);
            } else {
                participant.voteUp(op);
            }
        }
    }

    private void onAck(long id, int count) {
        Operation op = ops.existing(id, "ack");
        if (op == null) {
            return;
        }
        op.acks += count;
        if (--op.pending == 0) {
            if (op.parent < 0) {
                complete(op);
            } else {
                participant.ackUp(op);
            }
        }
    }

    /** Where each message from a peer goes. */
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
            onVote(id, voters, refusal, refuser);
        }

        @Override
        public void decision(long id, boolean committed) {
            participant.onDecision(id, committed);
        }

        @Override
        public void ack(long id, int count) {
            onAck(id, count);
        }
    }
}
