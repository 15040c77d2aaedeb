package io.flotilla.kernel;

/**
 * The machine's coherent shared memory, for shared-memory baselines (the paper's Figure 3 SHM series, the IPI-based
 * TLB shootdown of Figure 7) and for protocols that want a line all cores read. Memory is counted in cache lines;
 * each line holds one 64-bit word. Addresses are line numbers returned by {@link #allocate}.
 *
 * <p>Every access names the core making it, which must be the core whose handler is running. On {@code sim} the
 * access is priced by the coherence model (the line's owner and sharers, transfer and invalidation by distance,
 * queueing behind other transfers of the same line and on the links it crosses) and the cost is charged to that
 * core's clock, so a handler that touches shared lines takes virtual time just as one that calls
 * {@link Dispatcher#compute}. On {@code pinned} the line is a real 64-byte line of off-heap memory and the access
 * is a real volatile access, so it costs what the host's coherence protocol makes it cost.
 *
 * <p>A spinning reader should poll from a timer ({@link Dispatcher#after}) rather than loop inside a handler:
 * handlers never block, and on {@code sim} other cores only move between events.
 */
public interface SharedMemory {

    /**
     * Allocates {@code lines} consecutive zeroed lines whose home (the memory controller that serves a miss) is NUMA
     * node {@code node}; returns the first line's address. May be called at boot or from any core's handler.
     */
    long allocate(int lines, int node);

    /** Reads a line (volatile / acquire). */
    long read(int core, long line);

    /** Writes a line (volatile / release). */
    void write(int core, long line, long value);

    /** Atomically adds {@code delta} and returns the previous value. */
    long getAndAdd(int core, long line, long delta);

    /** Atomically sets the line to {@code update} if it holds {@code expect}. */
    boolean compareAndSet(int core, long line, long expect, long update);

    /**
     * Models a core spinning on a line: {@code then} runs on {@code core}, on {@code owner}'s behalf, once the line
     * holds a value other than {@code seen} (at once, as a task, if it already does). On {@code sim} it runs when the
     * writer's invalidation and this core's re-fetch of the line have completed, queued behind other cores fetching
     * the same line, and the spinning itself costs nothing (the line sits in this core's cache until invalidated);
     * on {@code pinned} the core's loop re-reads the line every turn. Each call waits for one change.
     */
    void awaitChange(int core, long line, long seen, Dispatcher owner, Runnable then);
}
