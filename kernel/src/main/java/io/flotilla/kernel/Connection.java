package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import java.util.ArrayDeque;

/**
 * One end of one bind, as its own core's monitor knows it. A bind is named on both cores by the client's core and
 * the client monitor's request number for it ({@link #bind}); each core keeps its own end and nothing of the
 * other's, so the two monitors agree on a binding only through {@code intermon} messages that name it.
 */
final class Connection {

    final int clientCore;
    final int serverCore;
    final long bind;
    /** Whether this is the server's end (a bind of a core to itself has both ends on one core). */
    final boolean server;
    final Binding binding;
    /** On the server's end: a swap is under way, and the swaps asked for after it, in order. */
    boolean swapping;
    final ArrayDeque<Runnable> queuedSwaps = new ArrayDeque<>();

    Connection(int clientCore, int serverCore, long bind, boolean server, Binding binding) {
        this.clientCore = clientCore;
        this.serverCore = serverCore;
        this.bind = bind;
        this.server = server;
        this.binding = binding;
    }

    /** The core of the other end. */
    int peer() {
        return server ? clientCore : serverCore;
    }
}
