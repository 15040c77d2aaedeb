package io.flotilla.kernel.node;

/** A node could not join its cluster; the message names the node and the reason, for a person to read. */
public final class NodeException extends RuntimeException {

    public NodeException(String message) {
        super(message);
    }
}
