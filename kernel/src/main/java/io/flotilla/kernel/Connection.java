package io.flotilla.kernel;

import io.flotilla.binding.Binding;

/**
 * The two ends of one bind, as the monitors know it: which cores they are on and, once each side has made it, the
 * {@link Binding} of each. The server's monitor creates it when it accepts a bind; the client's end is filled in on
 * the client's core before the client's continuation runs, so both are set before either side can ask to swap.
 * Each field is written once and read later on another core only through a platform post, which orders the two.
 */
final class Connection {

    final int clientCore;
    final int serverCore;
    final Binding server;
    private Binding client;
    /**
     * For a bind between nodes: the client monitor's request number of the bind, which with {@link #clientCore}
     * names the binding to both monitors; 0 for a bind inside one JVM.
     */
    final long remoteBind;
    /** On the server's core of a bind between nodes: a swap is under way, and the swaps asked for after it. */
    boolean swapping;
    final java.util.ArrayDeque<Runnable> queuedSwaps = new java.util.ArrayDeque<>();

    Connection(int clientCore, int serverCore, Binding server) {
        this(clientCore, serverCore, server, 0);
    }

    Connection(int clientCore, int serverCore, Binding server, long remoteBind) {
        this.clientCore = clientCore;
        this.serverCore = serverCore;
        this.server = server;
        this.remoteBind = remoteBind;
    }

    Binding client() {
        return client;
    }

    void client(Binding binding) {
        this.client = binding;
    }
}
