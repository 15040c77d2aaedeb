package io.flotilla.kernel;

import io.flotilla.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a channel's far end waits, within one JVM, between the core that opened the channel and the core that
 * takes it: the model of the memory a channel's buffer lives in. In Barrelfish the binding core allocates a frame,
 * the frame capability travels to the other core in a monitor message and that core maps it; here the opening
 * core deposits the far end under a number, the number travels in an {@code intermon} message, and the receiving
 * core collects the end. So a monitor message carries a number, never an object, and the end is handed over exactly
 * once, to the core it was opened for.
 *
 * <p>Thread-safe: the depositing and collecting cores are different threads on {@code pinned}. Entries are looked
 * up by number and never iterated, so the simulator stays deterministic.
 */
public final class ChannelTable {

    private record Slot(int core, Channel end) {}

    private final ConcurrentHashMap<Long, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    /** Leaves {@code end} for {@code core} to collect; returns the number that names it. */
    public long deposit(int core, Channel end) {
        long id = next.incrementAndGet();
        slots.put(id, new Slot(core, end));
        return id;
    }

    /**
     * Takes the end deposited for {@code core} under {@code id}; null if there is none (a number that names no end,
     * an end already taken, or one left for another core, which stays for its core).
     */
    public Channel collect(int core, long id) {
        Slot s = slots.get(id);
        if (s == null || s.core != core || !slots.remove(id, s)) {
            return null;
        }
        return s.end;
    }

    /** Ends deposited and not collected: a channel whose taker never came (tests check it drains). */
    public int waiting() {
        return slots.size();
    }
}
