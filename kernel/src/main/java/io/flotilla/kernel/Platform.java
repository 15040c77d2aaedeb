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
 * <p>Contract: every task handed to {@link #schedule} or {@link #post} runs on the core it names, through
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
     * Asks the platform to run {@code poller} on {@code core} whenever {@code end} may have frames to deliver or room
     * to send. A platform that polls everything every turn (pinned) may ignore this.
     */
    void watch(int core, Channel end, Runnable poller);

    /** Forgets a watch set up by {@link #watch}. */
    void unwatch(int core, Channel end);

    /** The current time of {@code core} in cycles. */
    long now(int core);

    /** Runs {@code task} on {@code core} after {@code delayCycles} (a timer). Called from {@code core} or at boot. */
    void schedule(int core, long delayCycles, Dispatcher owner, Runnable task);

    /**
     * Sends a control message from one core to another: {@code task} runs on {@code toCore} once the message has
     * arrived (the sim prices it as a one-frame URPC message). Monitors speak to each other this way.
     */
    void post(int fromCore, int toCore, Dispatcher owner, Runnable task);

    /**
     * Sends an inter-processor interrupt: {@code handler} runs on {@code toCore} as soon as that core finishes the
     * handler it is running (the kernel is non-preemptive), after the trap into the kernel. The sim prices delivery
     * as one cache-line transfer and charges the trap to the receiving core ({@code CostModel.trapCycles}); pinned
     * runs it next on the target core. Used by interrupt-driven baselines such as the IPI-based TLB shootdown.
     */
    default void interrupt(int fromCore, int toCore, Dispatcher owner, Runnable handler) {
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
