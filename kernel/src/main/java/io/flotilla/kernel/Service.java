package io.flotilla.kernel;

import io.flotilla.binding.Binding;

/**
 * An exported interface: called on the server's core for every client that binds, with the server's end of the new
 * connection, before any frame of it is delivered. It sets the binding's receiver (a generated stub's decoder, or a
 * handler of raw frames) and returns true, or returns false to refuse the client, who then gets a
 * {@link BindException}.
 */
@FunctionalInterface
public interface Service {

    boolean accept(Binding binding);
}
