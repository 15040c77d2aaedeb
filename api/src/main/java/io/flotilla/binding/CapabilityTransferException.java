package io.flotilla.binding;

import io.flotilla.cap.CapabilityException;


/**
 * A capability that could not travel with a message: refused when sent (the sender does not hold it, lacks GRANT,
 * or it was made elsewhere; nothing is sent), or refused on arrival (a reference number that names no capability
 * that arrived, one already received, a capability revoked in transit, no free receive slot). The {@link #kind()}
 * says why; as a {@link BindingException} it reaches the binding's error handler, never the event loop.
 */
public final class CapabilityTransferException extends BindingException {

    private static final long serialVersionUID = 1L;

    private final CapabilityException.Kind kind;

    public CapabilityTransferException(CapabilityException.Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public CapabilityTransferException(String what, CapabilityException cause) {
        super(what + ": " + cause.getMessage(), cause);
        this.kind = cause.kind();
    }

    public CapabilityException.Kind kind() {
        return kind;
    }
}
