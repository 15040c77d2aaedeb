package io.flotilla.cap;

/** What runs when a split-phase capability operation has finished: with null on success, else the refusal. */
@FunctionalInterface
public interface CapContinuation {

    void done(CapabilityException error);
}
