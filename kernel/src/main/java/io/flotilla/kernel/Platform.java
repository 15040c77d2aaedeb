package io.flotilla.kernel;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.machine.Machine;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * How cores execute and what time is: the service-provider interface behind the {@code sim} (virtual cycles, one
 * thread) and {@code pinned} (one pinned thread per core, real time) platforms. The kernel ({@link CpuDriver},
 * {@link Monitor}, {@link Dispatcher}) is written against this interface only, which is why the same dispatcher
 * code runs unchanged on both.
 *
 * <p>Contract: every task handed to {@link #schedule} (and every {@link #ring}) runs on the core it names, through
 * {@link CpuDriver#upcall(Dispatcher, Runnable)}, never concurrently with another task of the same core. Time is
 * counted in cycles of the machine's clock on both platforms.
 */
public interface Platform extends AutoCloseable {

    /**
     * Cycles a modelled invalidation of one page in one TLB costs where a platform has no model of its own: the
     * middle of the 95–320 cycles the paper-calibration notes give for x86-64.
     */
    long MODELLED_TLB_INVALIDATE_CYCLES = 200;

    /** {@code sim}, {@code pinned}, or a third party's name. */
    String name();

    /** Called once by {@link Multikernel} before anything runs: the machine and one driver per core, by core id. */
    void attach(Machine machine, List<CpuDriver> drivers);

    /** Where a channel end on {@code core} lives, as the {@link io.flotilla.channel.TransportSelector} sees it. */
    Endpoint endpoint(int core);

    /** Opens a channel between two cores on the named transport; {@code left} is {@code coreA}'s end. */
    ChannelPair open(int coreA, int coreB, String transport, ChannelOptions options);

    /**
     * As {@link #open}, for a caller on a core's own loop that must not wait for a slow open: a platform of real
     * threads runs it where no core waits (a process's first net channel takes seconds to start its event loop and
     * warm its crypto; a swap to net stalled its core for that long), and the future completes on that thread. The
     * default opens at once, on the caller's thread: right for {@code sim}, whose virtual time and event order must
     * not depend on another thread. A failed open completes the future exceptionally.
     */
    default java.util.concurrent.CompletableFuture<ChannelPair> openOffCore(int coreA, int coreB, String transport,
            ChannelOptions options) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(open(coreA, coreB, transport, options));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Asks the platform to run {@code poller} on {@code core} whenever {@code end} may have frames to deliver or room
     * to send. A platform that polls everything every turn (pinned) may ignore this.
     */
    void watch(int core, Channel end, Runnable poller);

    /** Forgets a watch set up by {@link #watch}. */
    void unwatch(int core, Channel end);

    /** The current time of {@code core} in cycles. */
    long now(int core);

    /**
     * Runs {@code task} on {@code core} after {@code delayCycles}: a timer, or (with 0) deferred work of the core's
     * own. Called from {@code core}, at boot, or (on {@code pinned}) by a thread of the node runtime or a network
     * completion handing a result back to the core that waits for it; never to run work on another core.
     */
    void schedule(int core, long delayCycles, Dispatcher owner, Runnable task);

    /**
     * Sends an inter-processor interrupt from {@code fromCore} on {@code vector}, with one word: {@code toCore}'s
     * {@link CpuDriver#interrupt} runs on {@code toCore} with {@code (fromCore, vector, word)} as soon as that core
     * finishes the handler it is running (the kernel is non-preemptive), after the trap into the kernel, and runs
     * the handler {@code toCore} registered for the vector. As {@link #ring}: numbers, not a closure, so nothing of
     * the sender's runs on the target. The sim prices delivery as one cache-line transfer (and the sender's wait for
     * the APIC's delivery status as another) and charges the trap to the receiving core ({@code
     * CostModel.trapCycles}); pinned queues it on the target core's loop. Used by interrupt-driven baselines such as
     * the IPI-based TLB shootdown. The caller ({@link Dispatcher#interrupt(int, int, long)}) has checked the vector
     * and the core.
     */
    default void interrupt(int fromCore, int toCore, int vector, long word) {
        throw new UnsupportedOperationException(name() + " has no inter-processor interrupts");
    }

    /**
     * Charges a modelled TLB invalidation of {@code pages} pages to {@code core}: Java cannot touch a real TLB, so both
     * platforms charge the cost model's {@code tlbInvalidateCycles} per page (virtual time on sim, burnt on pinned).
     */
    default void invalidateTlb(int core, long pages) {
        compute(core, pages * MODELLED_TLB_INVALIDATE_CYCLES);
    }

    /**
     * {@code core} invokes a capability (enters its CPU driver with a capability argument). The simulator charges the
     * modelled cost; on real hardware the cost is whatever the code does, so the default does nothing.
     */
    default void invokeCapability(int core) {
    }

    /** {@code core} makes a plain system call (as a conventional kernel's munmap does). As above. */
    default void systemCall(int core) {
    }

    /** The machine's coherent shared memory (see {@link SharedMemory}). */
    default SharedMemory sharedMemory() {
        throw new UnsupportedOperationException(name() + " has no shared memory model");
    }

    /** Charges {@code cycles} of modelled work to {@code core}: virtual time on sim, burnt real time on pinned. */
    /**
     * Rings {@code toCore}'s doorbell from {@code fromCore} with one word: {@code toCore}'s {@link CpuDriver#doorbell}
     * runs on {@code toCore} with it. What a monitor uses, once per pair of cores, to tell another core's monitor that
     * a channel between them waits in the channel table under that word (hardware would raise an inter-processor
     * interrupt, or the peer would poll a well-known line). A word, not a closure: nothing of one core's reaches
     * another but through a channel.
     */
    void ring(int fromCore, int toCore, long word);

    void compute(int core, long cycles);

    /** The random source code on {@code core} must use; on sim, one seeded generator for the whole run. */
    RandomGenerator random(int core);

    /**
     * Runs until {@link #stop()}, until nothing is left to do (sim only), or until {@code limit} has passed (virtual
     * time on sim, wall time on pinned).
     */
    void run(Duration limit);

    /** Asks {@link #run} to return. Any thread. */
    void stop();

    /** The 64-bit hash of every event so far, where the platform is deterministic (sim); empty otherwise. */
    OptionalLong traceHash();

    /**
     * The tracer of a multikernel booted here whose builder named none. Lets a caller trace code that boots the
     * multikernel itself, given only the platform ({@code flotilla run --trace} and the examples). {@link Tracer#NONE}
     * unless the platform offers a way to set it.
     */
    default Tracer defaultTracer() {
        return Tracer.NONE;
    }

    /** Releases threads and memory. Idempotent. */
    @Override
    void close();
}
