package io.flotilla.machine;

/**
 * A machine could not be loaded: an unknown name, an unreadable file, or a topology with errors. The message is
 * ready for a user: for a topology with errors, every diagnostic as {@code file:line:col: error: ...} with its
 * source line and caret.
 */
public final class MachineLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MachineLoadException(String message) {
        super(message, null, false, false);
    }
}
