package io.flotilla.kernel.node;

import io.flotilla.machine.Machine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The membership table one node builds from the HELLOs it hears: which node runs which cores, checked against this
 * node's own view of the cluster (the same machine and node count, no overlapping cores, cores inside the machine)
 * and, once complete, against the rule that the nodes run cores {@code 0..n-1} with no gap. Its digest is what the
 * nodes compare (VIEW) to agree. Written by the pump thread while joining; read by anyone once the join is agreed.
 */
final class MemberTable {

    /** What a node said about itself in its HELLO, once believed. */
    record Member(int node, int firstCore, int lastCore, long pid, String host, String hostId) {
        boolean runs(int core) {
            return core >= firstCore && core <= lastCore;
        }
    }

    private final Machine machine;
    private final int self;
    private final Member[] members;

    MemberTable(Machine machine, int nodes, Member self) {
        this.machine = machine;
        this.self = self.node();
        this.members = new Member[nodes];
        members[self.node()] = self;
    }

    /** Nodes in the cluster. */
    int nodes() {
        return members.length;
    }

    /** Node {@code n}'s entry, or null before its HELLO. */
    Member get(int n) {
        return members[n];
    }

    /** The node that runs {@code core}, or null. */
    Member owner(int core) {
        for (Member m : members) {
            if (m != null && m.runs(core)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Null if {@code h} fits this node's view of the cluster and every HELLO so far, else the configuration mistake,
     * worded for both nodes' logs ({@code who} names the sender).
     */
    String mismatch(Hello h, String who) {
        if (h.nodes() != members.length) {
            return who + " expects " + h.nodes() + " nodes, node " + self + " expects " + members.length
                    + " (every node must be given the same --peers)";
        }
        if (!h.topology().equals(machine.name())) {
            return who + " runs machine '" + h.topology() + "', node " + self + " runs '" + machine.name() + "'";
        }
        if (h.lastCore() >= machine.coreCount()) {
            return who + " runs cores " + h.firstCore() + "-" + h.lastCore() + ", but " + machine.name()
                    + " has cores 0.." + (machine.coreCount() - 1);
        }
        for (Member m : members) {
            if (m != null && h.firstCore() <= m.lastCore() && m.firstCore() <= h.lastCore()) {
                return who + " runs cores " + h.firstCore() + "-" + h.lastCore() + ", which overlap node " + m.node()
                        + "'s " + m.firstCore() + "-" + m.lastCore();
            }
        }
        return null;
    }

    /** Enters {@code h}, which {@link #mismatch} accepted. */
    void add(Hello h) {
        members[h.node()] = new Member(h.node(), h.firstCore(), h.lastCore(), h.pid(), h.host(), h.hostId());
    }

    /** Whether every node's HELLO is in. */
    boolean complete() {
        for (Member m : members) {
            if (m == null) {
                return false;
            }
        }
        return true;
    }

    /** Cores the complete table covers from 0 without a gap. */
    int coveredFromZero() {
        int next = 0;
        for (Member m; (m = owner(next)) != null; ) {
            next = m.lastCore() + 1;
        }
        return next;
    }

    /** Null if the complete table runs cores 0..n-1 with no gap, else what is wrong, with the table. */
    String gap() {
        int next = coveredFromZero();
        int covered = 0;
        for (Member m : members) {
            covered += m.lastCore() - m.firstCore() + 1;
        }
        if (covered == next) {
            return null;
        }
        StringBuilder table = new StringBuilder();
        for (Member m : members) {
            table.append(" node ").append(m.node()).append(": ").append(m.firstCore()).append('-')
                    .append(m.lastCore()).append(';');
        }
        return "the nodes' cores must be 0..n-1 with no gap, but core " + next + " is run by no node:" + table;
    }

    /** The first 8 bytes of SHA-256 over the machine's name, then each node's id and core range, in id order. */
    long digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(machine.name().getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(12 * members.length);
            for (Member m : members) {
                b.putInt(m.node()).putInt(m.firstCore()).putInt(m.lastCore());
            }
            sha.update(b.array());
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
