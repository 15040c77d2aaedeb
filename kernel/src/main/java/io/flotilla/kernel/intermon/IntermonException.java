package io.flotilla.kernel.intermon;

/**
 * A malformed intermon message: a frame out of order, a length, type or field out of range, bad UTF-8, a message
 * the receiver cannot accept from that peer. The message says which; the node that catches it names the peer,
 * logs, and closes that link.
 */
public final class IntermonException extends RuntimeException {

    public IntermonException(String message) {
        super(message);
    }
}
