package io.flotilla.kernel.node;

/**
 * A peer node broke the protocol of the link between nodes: a malformed route or membership message, or a message
 * that speaks for a core the peer does not run. The pump closes that link with one logged line naming the peer;
 * the message carries no stack trace, because the fault is the peer's input, not this node's code.
 */
final class PeerProtocolException extends RuntimeException {

    PeerProtocolException(String message) {
        super(message, null, false, false);
    }
}
