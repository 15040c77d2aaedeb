package io.flotilla.kernel;

/** Why a look-up or bind failed: an unknown name (after the time-out), a refused connection, a bad iref. */
public final class BindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BindException(String message) {
        super(message);
    }
}
