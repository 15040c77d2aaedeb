package io.flotilla.agreement;

import io.flotilla.agreement.protocol.AgreementHandler;
import io.flotilla.agreement.protocol.AgreementStub;
import io.flotilla.binding.Binding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one core's agreement monitor reaches its peers: one binding of the generated {@code agreement.if} stubs per
 * peer, bound on first use, carrying all traffic to that peer so messages between two monitors stay in order. A
 * message for a peer not yet bound waits in a short queue until the binding is up. What arrives is handed to
 * {@link Inbound} with the sending core.
 *
 * <p>Each monitor exports its service ({@link #serviceName}); a peer that binds to it says which core it is first
 * ({@code hello}), so a binding made from either end serves both directions. The first binding to a peer to come
 * up carries the traffic; a second one stays idle.
 */
final class AgreementLinks {

    /** What a peer's messages become on this core. */
    interface Inbound {
        void prepare(int from, Proposal p, long members);

        void apply(int from, Proposal p, long members);

        void vote(long id, int voters, int refusal, int refuser);

        void decision(long id, boolean committed);

        void ack(long id, int count);
    }

    static String serviceName(int core) {
        return "agreement.monitor." + core;
    }

    private interface Send {
        void to(AgreementStub stub);
    }

    private final AgreementMonitor monitor;
    private final AgreementMonitors group;
    private final List<String> errors;
    private final Inbound inbound;
    private Peer[] peers = new Peer[0];
    private final List<ArrayDeque<Runnable>> waiting = new ArrayList<>();
    private boolean[] binding = new boolean[0];

    AgreementLinks(AgreementMonitor monitor, AgreementMonitors group, List<String> errors, Inbound inbound) {
        this.monitor = monitor;
        this.group = group;
        this.errors = errors;
        this.inbound = inbound;
    }

    /** A peer bound to this monitor's service; it names its core in its first message. */
    void accepted(Binding b) {
        new Peer(-1, b);
    }

    // ---- the messages, one method each ----

    /** Phase one to {@code core}: payload-free operations keep to the one-frame message. */
    void prepare(int core, Proposal p, long members) {
        if (p.payload().isEmpty()) {
            send(core, s -> s.prepare(p.id(), members, p.opcode(), p.a0(), p.a1(), p.a2(), p.a3()));
        } else {
            send(core, s -> s.prepareWith(p.id(), members, p.opcode(), p.a0(), p.a1(), p.a2(), p.a3(),
                    p.payload()));
        }
    }

    void apply(int core, Proposal p, long members) {
        if (p.payload().isEmpty()) {
            send(core, s -> s.apply(p.id(), members, p.opcode(), p.a0(), p.a1(), p.a2(), p.a3()));
        } else {
            send(core, s -> s.applyWith(p.id(), members, p.opcode(), p.a0(), p.a1(), p.a2(), p.a3(), p.payload()));
        }
    }

    void vote(int core, long id, int voters, int refusal, int refuser) {
        send(core, s -> s.vote(id, voters, refusal, refuser));
    }

    /** Phase two to {@code core}: commit or abort. */
    void decision(int core, long id, boolean committed) {
        if (committed) {
            send(core, s -> s.commit(id));
        } else {
            send(core, s -> s.abort(id));
        }
    }

    void ack(int core, long id, int count) {
        send(core, s -> s.ack(id, count));
    }

    // ---- bindings ----

    private void send(int core, Send message) {
        ensure(core);
        Peer peer = peers[core];
        if (peer != null) {
            message.to(peer.stub);
            return;
        }
        waiting.get(core).add(() -> message.to(peers[core].stub));
        if (!binding[core]) {
            binding[core] = true;
            monitor.bind(serviceName(core), (b, error) -> {
                if (error != null) {
                    errors.add("core " + monitor.core() + " cannot bind to the agreement monitor of core " + core
                            + ": " + error.getMessage());
                    return;
                }
                Peer bound = new Peer(core, b);
                bound.stub.hello(monitor.core());
                linked(core, bound);
            });
        }
    }

    /** The first binding to {@code core} to come up carries all traffic to it; a second one stays idle. */
    private void linked(int core, Peer peer) {
        ensure(core);
        if (peers[core] != null) {
            return;
        }
        peers[core] = peer;
        ArrayDeque<Runnable> q = waiting.get(core);
        while (!q.isEmpty()) {
            q.poll().run();
        }
    }

    private void ensure(int core) {
        if (core < peers.length) {
            return;
        }
        int n = Math.max(core + 1, group.cores());
        peers = Arrays.copyOf(peers, n);
        binding = Arrays.copyOf(binding, n);
        while (waiting.size() < n) {
            waiting.add(new ArrayDeque<>());
        }
    }

    /** One binding to a peer monitor and the handler of what arrives on it. */
    private final class Peer implements AgreementHandler {
        int core;
        final AgreementStub stub;

        Peer(int core, Binding b) {
            this.core = core;
            b.setErrorHandler(e -> errors.add("core " + monitor.core() + ", binding to " + this.core + ": "
                    + e.getMessage()));
            this.stub = io.flotilla.agreement.protocol.Agreement.bind(b, this);
        }

        @Override
        public void hello(int from) {
            core = from;
            linked(from, this);
        }

        @Override
        public void prepare(long op, long members, int opcode, long a0, long a1, long a2, long a3) {
            inbound.prepare(core, new Proposal(op, opcode, a0, a1, a2, a3), members);
        }

        @Override
        public void prepareWith(long op, long members, int opcode, long a0, long a1, long a2, long a3,
                String payload) {
            inbound.prepare(core, new Proposal(op, opcode, a0, a1, a2, a3, payload), members);
        }

        @Override
        public void vote(long op, int voters, int refusal, int refuser) {
            inbound.vote(op, voters, refusal, refuser);
        }

        @Override
        public void commit(long op) {
            inbound.decision(op, true);
        }

        @Override
        public void abort(long op) {
            inbound.decision(op, false);
        }

        @Override
        public void apply(long op, long members, int opcode, long a0, long a1, long a2, long a3) {
            inbound.apply(core, new Proposal(op, opcode, a0, a1, a2, a3), members);
        }

        @Override
        public void applyWith(long op, long members, int opcode, long a0, long a1, long a2, long a3,
                String payload) {
            inbound.apply(core, new Proposal(op, opcode, a0, a1, a2, a3, payload), members);
        }

        @Override
        public void ack(long op, int count) {
            inbound.ack(op, count);
        }
    }
}
