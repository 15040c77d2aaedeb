package io.flotilla.kernel.node;

/**
 * A node could not join its cluster, or lost a peer while it ran; the message names the node, the peer at fault and
 * the reason, for a person to read, and {@link #cause} says which kind of failure it is (the {@code flotilla node}
 * command turns each kind into an exit status of its own).
 */
public final class NodeException extends RuntimeException {

    /** Why a node failed, one kind per exit status of {@code flotilla node}. */
    public enum Cause {
        /** The nodes' configurations disagree (machine, node count, core ranges, ids), or this one's is unusable. */
        CONFIGURATION,
        /** A peer never joined (or never booted) within the join timeout: nobody answered at its address. */
        UNREACHABLE,
        /** A peer refused this node, or this node refused it: a different cluster secret or protocol version. */
        REFUSED,
        /** A peer was lost: its process died, its link broke or went silent, or it broke the link protocol. */
        PEER_LOST
    }

    private final Cause cause;

    public NodeException(Cause cause, String message) {
        super(message, null, false, false);
        this.cause = java.util.Objects.requireNonNull(cause, "cause");
    }

    /** A configuration problem; kept for callers that name none. */
    public NodeException(String message) {
        this(Cause.CONFIGURATION, message);
    }

    /** Which kind of failure this is. */
    public Cause failure() {
        return cause;
    }
}
