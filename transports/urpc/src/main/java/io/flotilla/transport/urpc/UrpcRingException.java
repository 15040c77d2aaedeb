package io.flotilla.transport.urpc;

/**
 * A urpc channel found its shared memory in a state the peer's code can never produce: a control word with message
 * number 0 or reserved transport bits set, a used-bit slot that is neither empty nor marked used, an ack that goes
 * backwards or beyond what was sent, an ack line changed by someone other than its writer, or a channel file cut
 * shorter than its layout. Someone else wrote the memory (another process sharing the file, a bug in native code),
 * so nothing read from the ring can be trusted any more.
 *
 * <p>Thrown once, by the {@code poll}, {@code writableFrames} or {@code claim} call that found it; the end is closed
 * with this as its {@link UrpcChannel#failure() failure} before it is thrown, so later calls see a closed channel
 * (poll delivers nothing, writableFrames is 0) and the peer sees it closed too. The message is one line naming the
 * channel (its file, or "in-process") and what was wrong.
 */
public final class UrpcRingException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    UrpcRingException(String message) {
        super(message);
    }

    UrpcRingException(String message, Throwable cause) {
        super(message, cause);
    }
}
