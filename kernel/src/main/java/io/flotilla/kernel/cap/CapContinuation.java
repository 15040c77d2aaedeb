package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

/** What runs when a split-phase capability operation has finished: with null on success, else the refusal. */
@FunctionalInterface
public interface CapContinuation {

    void done(CapabilityException error);
}
