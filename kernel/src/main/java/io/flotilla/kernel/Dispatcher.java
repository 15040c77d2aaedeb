package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The unit user code and plugins are written as: the per-core part of a program, as in Barrelfish. Subclass it,
 * start work in {@link #onStart()}, and react to messages, timers and bind results in handlers. All of them run
 * on this dispatcher's core, one at a time, so a dispatcher needs no locks; none of them may block.
 *
 * <p>Everything here works the same on every {@link Platform}: time is in cycles of the machine's clock (virtual
 * on sim, real on pinned), and work is charged with {@link #compute(long)}.
 *
 * <p>Constructors are the subclass's own (injectable); the kernel attaches the dispatcher to its core when it is
 * added to a {@link Multikernel}, and the methods below may be used from {@link #onStart()} on.
 */
public abstract class Dispatcher {

    /**
     * How long {@link #bind(String, BindContinuation)} waits for a name to be exported: a billion cycles (half a
     * second at 2 GHz). Generous because on pinned it is real time and includes the JVM warming up; on sim the
     * time-out stays queued after a successful bind and only moves the final virtual time.
     */
    public static final long DEFAULT_BIND_TIMEOUT_CYCLES = 1_000_000_000L;

    private CpuDriver driver;
    private volatile boolean failed;
    /** Interrupt handlers registered before this dispatcher had a core; installed when it gets one. */
    private List<EarlyVector> earlyVectors;

    private record EarlyVector(int vector, InterruptHandler handler) {}

    /** Called once on this core when the kernel has booted. */
    protected void onStart() {}

    /** Used in failure reports and traces; the class name and core by default. */
    public String name() {
        return getClass().getSimpleName() + "@" + (driver == null ? "?" : driver.core());
    }

    public final int core() {
        return driver().core();
    }

    public final Machine machine() {
        return driver().kernel().machine();
    }

    /** The system knowledge base; built on first use. */
    public final Skb skb() {
        return driver().kernel().skb();
    }

    /** This core's monitor. */
    public final Monitor monitor() {
        return driver().monitor();
    }

    /** This core's time in cycles. */
    public final long now() {
        return driver().kernel().platform().now(core());
    }

    /** Runs {@code task} on this core after {@code cycles}. */
    public final void after(long cycles, Runnable task) {
        if (cycles < 0) {
            throw new IllegalArgumentException("negative delay: " + cycles);
        }
        driver().kernel().platform().schedule(core(), cycles, this, task);
    }

    /** Runs {@code task} on this core after {@code delay}, converted to cycles at the machine's clock. */
    public final void after(Duration delay, Runnable task) {
        after(driver().kernel().cycles(delay), task);
    }

    /** Charges {@code cycles} of modelled work to this core. */
    public final void compute(long cycles) {
        if (cycles < 0) {
            throw new IllegalArgumentException("negative work: " + cycles);
        }
        driver().kernel().platform().compute(core(), cycles);
    }

    /** The machine's coherent shared memory; accesses from this dispatcher go through {@link #load} and friends. */
    public final SharedMemory sharedMemory() {
        return driver().kernel().platform().sharedMemory();
    }

    /** Reads shared line {@code line} from this core, paying what the platform's coherence makes it cost. */
    public final long load(long line) {
        return sharedMemory().read(core(), line);
    }

    /** Writes shared line {@code line} from this core. */
    public final void store(long line, long value) {
        sharedMemory().write(core(), line, value);
    }

    /** Reads word {@code word} (0..7) of a shared line ({@link SharedMemory#readWord}). */
    public final long loadWord(long line, int word) {
        return sharedMemory().readWord(core(), line, word);
    }

    /** Writes word {@code word} (0..7) of a shared line ({@link SharedMemory#writeWord}). */
    public final void storeWord(long line, int word, long value) {
        sharedMemory().writeWord(core(), line, word, value);
    }

    /** Atomically adds {@code delta} to a shared line and returns the previous value. */
    public final long getAndAdd(long line, long delta) {
        return sharedMemory().getAndAdd(core(), line, delta);
    }

    /** Atomically replaces shared line {@code line} if it holds {@code expect}. */
    public final boolean compareAndSet(long line, long expect, long update) {
        return sharedMemory().compareAndSet(core(), line, expect, update);
    }

    /** Runs {@code then} on this core once shared line {@code line} no longer holds {@code seen}; see {@link SharedMemory#awaitChange}. */
    public final void awaitChange(long line, long seen, Runnable then) {
        sharedMemory().awaitChange(core(), line, seen, this, then);
    }

    /** This core's modelled TLB (see {@link io.flotilla.vm.AddressSpace}); touch it only from this core. */
    public final Tlb tlb() {
        return driver().tlb();
    }

    /** This dispatcher invokes a capability: on sim, the modelled CPU-driver entry ({@link Platform}). */
    public final void invokeCapability() {
        driver().kernel().platform().invokeCapability(core());
    }

    /** This dispatcher makes a plain system call: on sim, the modelled kernel entry ({@link Platform}). */
    public final void systemCall() {
        driver().kernel().platform().systemCall(core());
    }

    /** Charges a modelled invalidation of {@code pages} pages of this core's TLB. */
    public final void invalidateTlb(long pages) {
        driver().kernel().platform().invalidateTlb(core(), pages);
    }

    /**
     * Makes {@code handler} this core's handler for interrupt {@code vector} (0..255): an inter-processor interrupt
     * another core sends with {@link #interrupt(int, int, long)} runs it here, as this dispatcher, after the trap. The
     * sender names only the vector, as hardware does, so the code that runs is always this core's own. Call it before
     * the dispatcher is added to a multikernel (it takes effect when the kernel attaches it, before any core runs:
     * no interrupt can find the vector empty) or from one of this dispatcher's handlers; not from another thread.
     *
     * @throws IllegalArgumentException if {@code vector} is out of range
     * @throws IllegalStateException    if a dispatcher of this core (this one included) already handles {@code vector};
     *                                  before attach, when the kernel attaches this dispatcher (its boot fails)
     */
    public final void onInterrupt(int vector, InterruptHandler handler) {
        InterruptVectors.check(vector);
        java.util.Objects.requireNonNull(handler, "handler");
        if (driver != null) {
            driver.registerInterrupt(vector, this, handler);
            return;
        }
        if (earlyVectors == null) {
            earlyVectors = new ArrayList<>(2);
        }
        earlyVectors.add(new EarlyVector(vector, handler));
    }

    /**
     * Sends an inter-processor interrupt on {@code vector} to core {@code toCore}, with one word of payload: the
     * handler that core registered for the vector ({@link #onInterrupt}) runs there with this core's id and
     * {@code word}. A vector the target has not registered is reported as a failure on the target, once. See
     * {@link Platform#interrupt} for what it costs.
     *
     * @throws IllegalArgumentException if {@code vector} is out of range or no core {@code toCore} was booted
     */
    public final void interrupt(int toCore, int vector, long word) {
        InterruptVectors.check(vector);
        Multikernel kernel = driver().kernel();
        if (toCore < 0 || toCore >= kernel.coreCount()) {
            throw new IllegalArgumentException(name() + ": no core " + toCore + " to interrupt (booted cores 0.."
                    + (kernel.coreCount() - 1) + ")");
        }
        kernel.platform().interrupt(core(), toCore, vector, word);
    }

    /** The random source to use; on sim it is seeded, so runs repeat. */
    public final RandomGenerator random() {
        return driver().kernel().platform().random(core());
    }

    /** Exports {@code service} under {@code name}; see {@link Monitor#export}. */
    public final int export(String name, Service service) {
        return monitor().export(this, name, service);
    }

    /** Binds to the service exported as {@code name}, waiting up to {@link #DEFAULT_BIND_TIMEOUT_CYCLES}. */
    public final void bind(String name, BindContinuation continuation) {
        monitor().bind(this, name, DEFAULT_BIND_TIMEOUT_CYCLES, continuation);
    }

    /** Binds to the service exported as {@code name}, waiting up to {@code timeoutCycles} for it to appear. */
    public final void bind(String name, long timeoutCycles, BindContinuation continuation) {
        monitor().bind(this, name, timeoutCycles, continuation);
    }

    /** Tears a binding down: this end stops being polled and its channel is closed. */
    public final void unbind(Binding binding) {
        driver().unregister(binding);
    }

    /**
     * Moves {@code binding} (an end this dispatcher got from {@code bind} or a service's accept) and its peer onto a
     * new channel of {@code transport} ("lrpc", "urpc", "net", ...) while messages keep flowing in both directions:
     * none is lost, duplicated or reordered, and rpcs in flight complete. {@code whenSwapped} (may be null) runs on
     * this core once both ends send on the new channel.
     */
    public final void swap(Binding binding, String transport, Runnable whenSwapped) {
        monitor().swap(this, binding, transport, whenSwapped, null);
    }

    /**
     * As {@link #swap(Binding, String, Runnable)}; if the swap cannot be made (a transport the two cores cannot
     * use, such as urpc between nodes of different hosts, or a peer that refuses), {@code whenFailed} runs on this
     * core with the reason instead, and the binding goes on over its old channel. Without it the failure is logged.
     */
    public final void swap(Binding binding, String transport, Runnable whenSwapped,
            java.util.function.Consumer<BindException> whenFailed) {
        monitor().swap(this, binding, transport, whenSwapped, whenFailed);
    }

    /** Asks the whole multikernel to stop running. */
    public final void stopKernel() {
        driver().kernel().stop();
    }

    /** Whether a handler of this dispatcher has thrown; a failed dispatcher gets no more upcalls. */
    public final boolean failed() {
        return failed;
    }

    final void markFailed() {
        failed = true;
    }

    final void attach(CpuDriver driver) {
        if (this.driver != null) {
            throw new IllegalStateException(name() + " is already attached to core " + this.driver.core());
        }
        this.driver = driver;
        if (earlyVectors != null) {
            for (EarlyVector v : earlyVectors) {
                driver.registerInterrupt(v.vector(), this, v.handler());
            }
            earlyVectors = null;
        }
    }

    private CpuDriver driver() {
        if (driver == null) {
            throw new IllegalStateException(getClass().getName() + " is not attached to a core yet");
        }
        return driver;
    }
}
