package io.flotilla.binding;

import java.util.Objects;

/**
 * The failure an rpc ended with: its {@link #status()} says which kind, the message what happened (for a server
 * handler that threw, what the server saw, truncated to what one frame carries). Reaches the caller exactly once:
 * through the reply continuation's {@code failed} method, a future completed exceptionally, or thrown at once by a
 * call that could not be sent. As a {@link BindingException} it can also go to a binding's error handler.
 */
public class RpcException extends BindingException {

    private static final long serialVersionUID = 1L;

    private final RpcStatus status;

    /**
     * @param status the kind of failure
     * @param message what happened
     */
    public RpcException(RpcStatus status, String message) {
        super(status + ": " + message);
        this.status = Objects.requireNonNull(status, "status");
    }

    /**
     * @param status the kind of failure
     * @param message what happened
     * @param cause the exception behind it
     */
    public RpcException(RpcStatus status, String message, Throwable cause) {
        super(status + ": " + message, cause);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** @return the kind of failure */
    public RpcStatus status() {
        return status;
    }
}
