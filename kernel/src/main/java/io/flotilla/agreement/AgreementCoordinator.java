package io.flotilla.agreement;

import io.flotilla.skb.Send;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the operations one core proposes, phase by phase: plans the fan-out to the participants (unicast, or the
 * SKB's multicast tree cut down to them, cached per participant set), sends phase one, counts the votes as they
 * come up the tree, tells the caller's {@link Outcome} the decision, sends phase two and counts the
 * acknowledgements. One-phase commit skips the vote.
 *
 * <p>The counting is the same at every level of the tree: a forwarder counts its children's votes and
 * acknowledgements here too, and hands the total to {@link AgreementParticipant} to report upward.
 */
final class AgreementCoordinator {

    private final AgreementMonitor monitor;
    private final AgreementMonitors group;
    private final AgreementParticipant participant;
    private final AgreementLinks links;
    private final Operations ops;
    private final List<String> errors;
    private final Map<CoreSet, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CoreSet, Plan> eldest) {
            return size() > 64;
        }
    };
    private final Protocol onePhase = new Protocol(Agreement.ONE_PHASE, false);
    private final Protocol twoPhase = new Protocol(Agreement.TWO_PHASE, true);
    private List<Send> tree;
    private long sequence;
    private int inFlight;

    AgreementCoordinator(AgreementMonitor monitor, AgreementMonitors group, AgreementParticipant participant,
            AgreementLinks links, Operations ops, List<String> errors) {
        this.monitor = monitor;
        this.group = group;
        this.participant = participant;
        this.links = links;
        this.ops = ops;
        this.errors = errors;
    }

    List<String> protocols() {
        return List.of(Agreement.ONE_PHASE, Agreement.TWO_PHASE);
    }

    Agreement agreement(String name) {
        return switch (name) {
            case Agreement.ONE_PHASE -> onePhase;
            case Agreement.TWO_PHASE -> twoPhase;
            default -> throw new IllegalArgumentException("no agreement protocol '" + name + "'; there are "
                    + protocols());
        };
    }

    /** One protocol as the callers on this core see it. */
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
            return monitor.core();
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
            return name + "@" + monitor.core();
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
        int core = monitor.core();
        Plan plan = plans.get(participants);
        if (plan == null) {
            plan = group.fanout() == Fanout.MULTICAST
                    ? Plan.multicast(monitor.machine(), core, participants, tree())
                    : Plan.unicast(core, participants);
            plans.put(participants, plan);
        }
        Proposal p = new Proposal(Proposal.id(core, ++sequence), opcode, a0, a1, a2, a3, payload);
        Operation op = new Operation(p, -1, plan.targets, twoPhase);
        op.outcome = outcome;
        op.expected = plan.expected;
        op.local = participants.contains(core);
        ops.put(p.id(), op);
        inFlight++;
        if (twoPhase) {
            if (op.local) {
                op.refusal = participant.vote(p);
                op.votedYes = op.refusal == Voter.YES;
                op.refuser = op.votedYes ? -1 : core;
            }
            for (int i = 0; i < plan.targets.length; i++) {
                links.prepare(plan.targets[i], p, plan.members[i]);
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
                links.apply(plan.targets[i], p, plan.members[i]);
            }
            if (op.pending == 0) {
                complete(op);
            }
        }
        return p.id();
    }

    /** The SKB's multicast tree from this core, asked for once (a Prolog query is not for every operation). */
    private List<Send> tree() {
        if (tree == null) {
            tree = monitor.skb().multicastTree(monitor.core());
        }
        return tree;
    }

    // ---- counting what comes up the tree ----

    void onVote(long id, int voters, int refusal, int refuser) {
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

    void onAck(long id, int count) {
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
}
