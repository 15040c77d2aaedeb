package io.flotilla.kernel;

/** Runs on the asking core when a name look-up has finished: an iref, or 0 and an error. */
@FunctionalInterface
public interface LookupContinuation {

    void found(int iref, BindException error);
}
