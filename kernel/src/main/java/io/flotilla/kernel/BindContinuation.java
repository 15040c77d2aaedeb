package io.flotilla.kernel;

import io.flotilla.binding.Binding;

/**
 * Runs on the client's core when a bind has finished: exactly one of {@code binding} and {@code error} is non-null
 * (Barrelfish's {@code bind_cont(st, err, binding)}).
 */
@FunctionalInterface
public interface BindContinuation {

    void bound(Binding binding, BindException error);
}
