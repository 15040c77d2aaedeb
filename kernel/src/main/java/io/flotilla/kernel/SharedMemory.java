package io.flotilla.kernel;

/**
 * The machine's coherent shared memory, for shared-memory baselines (the paper's Figure 3 SHM series, the IPI-based
 * TLB shootdown of Figure 7) and for protocols that want a line all cores read. Memory is counted in cache lines;
 * each line holds {@value #WORDS_PER_LINE} 64-bit words. Word 0 is the line's value: what {@link #read}, {@link
 * #write}, the atomics and {@link #awaitChange} use. The others ({@link #readWord}, {@link #writeWord}) travel with
 * it, as the rest of a real line does: a protocol publishes a request's other fields in words 1.. and then its
 * word 0 with the release store a reader acquires, so that nothing but the line crosses cores (a field of a shared
 * Java object would). Addresses are line numbers returned by {@link #allocate}.
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

    /** 64-bit words in a line: 64 bytes. */
    int WORDS_PER_LINE = 8;

    /**
     * Reads word {@code word} (0..7) of a line: the same access to the line as {@link #read}, which it is for word 0.
     * A reader that acquired word 0 sees every word written before the write of word 0 it saw.
     */
    long readWord(int core, long line, int word);

    /**
     * Writes word {@code word} (0..7) of a line: the same access to the line as {@link #write}, which it is for word
     * 0. Only a write of word 0 changes what {@link #awaitChange} waits on.
     */
    void writeWord(int core, long line, int word, long value);

    /**
     * Returns {@code word} if it is a word of a line (0..7).
     *
     * @throws IllegalArgumentException if it is not
     */
    static int checkWord(int word) {
        if (word < 0 || word >= WORDS_PER_LINE) {
            throw new IllegalArgumentException("no word " + word + " in a line (0.." + (WORDS_PER_LINE - 1) + ")");
        }
        return word;
    }

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
