package io.flotilla.kernel.node;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node refused because of what a peer sent (a link closed for breaking the protocol, a HELLO after the
 * membership was agreed, a urpc rendezvous naming a file it must not map): how many since start, and the latest
 * one-line reason, which names the peer. Any thread; whoever refuses logs its own line.
 */
final class Refusals {

    private final AtomicLong count = new AtomicLong();
    private volatile String last;

    /** Counts one refusal, whose reason is {@code line}. */
    void add(String line) {
        count.incrementAndGet();
        last = line;
    }

    long count() {
        return count.get();
    }

    /** The latest reason, or null. */
    String last() {
        return last;
    }
}
