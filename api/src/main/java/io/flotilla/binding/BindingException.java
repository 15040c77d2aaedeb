package io.flotilla.binding;

/**
 * A protocol error on one binding: a malformed, truncated, oversized or out-of-order frame sequence, an unknown
 * message, an unexpected reply. It is reported to that binding's error handler; it never escapes into other
 * bindings or the event loop.
 */
public class BindingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BindingException(String message) {
        super(message);
    }

    public BindingException(String message, Throwable cause) {
        super(message, cause);
    }
}
