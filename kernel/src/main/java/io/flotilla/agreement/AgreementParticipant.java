package io.flotilla.agreement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One core's part in operations that others coordinate: it votes with the {@link Voter} registered for the opcode
 * (two-phase commit's prepare), applies or releases when the decision comes, and acknowledges. Where the
 * coordinator's plan makes it a forwarder, it passes each message on to cores of its own package and reports
 * upward once their answers are in (the counting is {@link AgreementCoordinator}'s, the same at every level of the
 * tree).
 *
 * <p>It also votes and applies for the coordinator's own core, when that core is a participant.
 */
final class AgreementParticipant {

    private final AgreementMonitor monitor;
    private final AgreementLinks links;
    private final Operations ops;
    private final List<String> errors;
    private final Map<Integer, Voter> voters = new HashMap<>();

    AgreementParticipant(AgreementMonitor monitor, AgreementLinks links, Operations ops, List<String> errors) {
        this.monitor = monitor;
        this.links = links;
        this.ops = ops;
        this.errors = errors;
    }

    void register(int opcode, Voter voter) {
        voters.put(opcode, voter);
    }

    // ---- this core's own vote and effect ----

    int vote(Proposal p) {
        Voter v = voters.get(p.opcode());
        return v == null ? AgreementMonitor.NO_VOTER : v.prepare(p);
    }

    void applyLocally(Proposal p) {
        Voter v = voters.get(p.opcode());
        if (v != null) {
            v.commit(p);
        } else {
            errors.add("core " + monitor.core() + " has no voter for opcode " + p.opcode() + " and applied nothing");
        }
    }

    /** The decision, here: commit or release what this core's yes vote held. */
    void finishLocally(Operation op) {
        if (!op.local || !op.votedYes) {
            return;
        }
        Voter v = voters.get(op.p.opcode());
        if (op.committed) {
            v.commit(op.p);
        } else {
            v.abort(op.p);
        }
    }

    // ---- messages from the parent in the tree ----

    void onPrepare(int from, Proposal p, long members) {
        long id = p.id();
        Operation op = new Operation(p, from, Plan.forwards(monitor.machine(), monitor.core(), members), true);
        op.local = true;
        op.refusal = vote(p);
        op.votedYes = op.refusal == Voter.YES;
        op.refuser = op.votedYes ? -1 : monitor.core();
        ops.put(id, op);
        for (int c : op.children) {
            links.prepare(c, p, 0L);
        }
        if (op.pending == 0) {
            voteUp(op);
        }
    }

    void onDecision(long id, boolean committed) {
        Operation op = ops.existing(id, committed ? "commit" : "abort");
        if (op == null) {
            return;
        }
        op.committed = committed;
        finishLocally(op);
        op.pending = op.children.length;
        for (int c : op.children) {
            links.decision(c, id, committed);
        }
        if (op.pending == 0) {
            ackUp(op);
        }
    }

    void onApply(int from, Proposal p, long members) {
        long id = p.id();
        Operation op = new Operation(p, from, Plan.forwards(monitor.machine(), monitor.core(), members), false);
        applyLocally(p);
        for (int c : op.children) {
            links.apply(c, p, 0L);
        }
        if (op.pending == 0) {
            ackUp(op);
        } else {
            ops.put(id, op);
        }
    }

    // ---- answers to the parent ----

    /** This core's vote and its children's, in one message. */
    void voteUp(Operation op) {
        links.vote(op.parent, op.p.id(), op.voters + 1, op.refusal, op.refuser);
    }

    /** This core's acknowledgement and its children's, in one message; the operation is over here. */
    void ackUp(Operation op) {
        ops.remove(op.p.id());
        links.ack(op.parent, op.p.id(), op.acks + 1);
    }
}
