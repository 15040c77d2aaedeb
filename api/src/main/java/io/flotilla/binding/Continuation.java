package io.flotilla.binding;

/**
 * Runs when a split-phase operation has completed: for a send, when the message's last frame has left for the
 * transport (so the arguments the caller passed may be reused).
 */
@FunctionalInterface
public interface Continuation {

    /** A continuation that does nothing. */
    Continuation NONE = () -> {};

    void run();
}
