package io.flotilla.platform.pinned;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.CpuDriver;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Platform;
import io.flotilla.kernel.SharedMemory;
import io.flotilla.kernel.Tracer;
import io.flotilla.machine.Machine;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The {@code pinned} platform: one platform thread per booted core, each pinned to a distinct host CPU with OpenHFT
 * affinity, in real time ({@link System#nanoTime()}, reported in cycles of the machine's clock so that dispatcher
 * code means the same thing as on sim). Channels are the real transports from a {@link TransportRegistry}: urpc
 * between cores, lrpc on one core, as the selector says.
 *
 * <p>Booting more cores than the host has CPUs is refused unless oversubscription was asked for: with more
 * spinning loops than CPUs, timings mean nothing. If pinning itself fails (no native library, a container's CPU
 * mask) the threads run unpinned and {@link #pinned()} says so.
 *
 * <p>What a core's loop does when it finds no work is its {@link IdleStrategy} ({@link #idle}): by default
 * ({@link IdleStrategy.Kind#AUTO}) it busy-spins when its thread is pinned and the host has a CPU to spare (the
 * platform runs fewer cores than the host has CPUs), and backs off to parking otherwise.
 *
 * <p>A {@linkplain #hosted() hosted} platform starts no threads: its caller runs each core's loop on a thread of
 * its own choosing ({@link #runCore}), as a benchmark that owns two pinned threads does.
 */
public final class PinnedPlatform implements Platform {

    private final TransportRegistry transports;
    private final boolean oversubscribe;
    private final boolean pin;
    private final SplittableRandom seeds;
    private Machine machine;
    private CoreLoop[] loops;
    private OffHeapMemory memory;
    private long epoch;
    private double clockGhz;
    private volatile boolean stopped;
    private final CountDownLatch stop = new CountDownLatch(1);
    private boolean started;
    private IdleStrategy.Kind idle = IdleStrategy.Kind.AUTO;
    private boolean hosted;
    private int localCores;
    /**
     * The host's CPUs, counted at boot: a core's thread cannot count them once pinned, since
     * {@code availableProcessors()} follows the calling thread's affinity mask.
     */
    private int hostCpus;
    private Tracer defaultTracer = Tracer.NONE;
    private Tracer observer = Tracer.NONE;
    /** What hears the monitors' own links: the tracer (they show in a trace), not the metrics of the workload. */
    private Tracer kernelObserver = Tracer.NONE;

    /** Pinned, not oversubscribed, the transports on the class path. */
    public PinnedPlatform() {
        this(TransportRegistry.discover(), false, true, System.nanoTime());
    }

    /**
     * @param transports    where channels come from (needs {@code urpc}, and {@code lrpc} for same-core binds)
     * @param oversubscribe allow more cores than host CPUs (threads then share CPUs)
     * @param pin           pin each core's thread to a host CPU
     * @param seed          seeds the per-core random sources (real time is not repeatable anyway)
     */
    public PinnedPlatform(TransportRegistry transports, boolean oversubscribe, boolean pin, long seed) {
        this.transports = transports;
        this.oversubscribe = oversubscribe;
        this.pin = pin;
        this.seeds = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return "pinned";
    }

    /**
     * Traces a multikernel booted on this platform whose builder names no tracer. Call before boot. On pinned the
     * tracer sees upcall slices and messages in real time, from every core's thread (so it must synchronise).
     */
    public PinnedPlatform tracer(Tracer tracer) {
        this.defaultTracer = java.util.Objects.requireNonNull(tracer, "tracer");
        return this;
    }

    /** What a core does on a turn with no work; {@link IdleStrategy.Kind#AUTO} unless set. Call before boot. */
    public PinnedPlatform idle(IdleStrategy.Kind kind) {
        this.idle = java.util.Objects.requireNonNull(kind, "kind");
        return this;
    }

    /** The idle strategy asked for ({@link IdleStrategy.Kind#AUTO} until a core has chosen; see {@link #idleInUse}). */
    public IdleStrategy.Kind idle() {
        return idle;
    }

    /**
     * The strategy the cores run with, once running: {@code AUTO} resolved (the first local core's; they all
     * resolve alike unless some failed to pin). {@link #idle()} before.
     */
    public IdleStrategy.Kind idleInUse() {
        if (loops != null) {
            for (CoreLoop loop : loops) {
                if (loop != null && loop.idleStrategy() != null) {
                    return loop.idleStrategy().kind();
                }
            }
        }
        return idle;
    }

    /**
     * Whether the host has a CPU beyond this platform's cores, for the JVM's compilers, collector and waiting threads
     * (what {@code auto} asks before it spins); false before boot.
     */
    public boolean hasSpareCpu() {
        return machine != null && IdleStrategy.spareCpu(localCores, hostCpus);
    }

    IdleStrategy idleStrategy(boolean pinned) {
        return IdleStrategy.of(idle, pinned, localCores, hostCpus);
    }

    /**
     * Makes this platform start no threads: {@link #run} is refused and the caller runs each core's loop with
     * {@link #runCore}, each core always from the same thread, which it has pinned (or not) itself. Call before
     * boot.
     */
    public PinnedPlatform hosted() {
        this.hosted = true;
        return this;
    }

    /**
     * Runs turns of {@code core}'s loop on the calling thread, busy-spinning when a turn finds nothing, until
     * {@code until} (asked before every turn, on this thread: it may send, as a dispatcher's code would) is true.
     * Only for a {@link #hosted()} platform; a core is always run by the thread that first ran it.
     */
    public void runCore(int core, java.util.function.BooleanSupplier until) {
        // From turn 0, which looks at everything: a caller that runs a core a turn at a time (a test, a benchmark
        // between its own steps) still has its inbox, timers and monitor links looked at on every call.
        runCore(core, 0, until);
    }

    /**
     * As {@link #runCore(int, java.util.function.BooleanSupplier)}, numbering the turns from {@code firstTurn}: a
     * caller that runs a busy core in many short calls passes on the number returned by the last, so the core looks
     * at its inbox, timers and monitor links as often as a core running on its own thread does (every {@code
     * CoreLoop.HOUSEKEEPING_TURNS} turns), not on every call.
     *
     * @return the number of the turn after the last one run
     */
    public int runCore(int core, int firstTurn, java.util.function.BooleanSupplier until) {
        CoreLoop loop = hostedLoop(core);
        int turn = firstTurn;
        for (; !until.getAsBoolean(); turn++) {
            loop.hostedTurn(turn);
        }
        return turn;
    }

    /** One turn of {@code core}'s loop on the calling thread, a full one (as {@link #runCore}'s first). */
    public void runTurn(int core) {
        hostedLoop(core).hostedTurn(0);
    }

    /** {@code core}'s loop, hosted by the calling thread; refused unless this platform is {@link #hosted()}. */
    private CoreLoop hostedLoop(int core) {
        if (!hosted) {
            throw new IllegalStateException("runCore is for a hosted platform; this one runs its own threads");
        }
        CoreLoop loop = loop(core);
        loop.host(Thread.currentThread());
        return loop;
    }

    @Override
    public Tracer defaultTracer() {
        return defaultTracer;
    }

    @Override
    public void attach(Machine machine, List<CpuDriver> drivers) {
        if (this.machine != null) {
            throw new IllegalStateException("a PinnedPlatform runs one multikernel; make another for another boot");
        }
        int host = HostCpus.count(); // not availableProcessors(): this thread may be pinned to one CPU
        // A multikernel spanning nodes boots every core but runs only this node's: the others get no thread.
        int local = 0;
        for (CpuDriver d : drivers) {
            if (d.kernel().isLocal(d.core())) {
                local++;
            }
        }
        if (local > host && !oversubscribe) {
            throw new IllegalArgumentException("the pinned platform needs one host CPU per core: booting "
                    + local + " cores of " + machine.name() + " but this host has " + host
                    + " CPUs; boot fewer cores (Multikernel.Builder.cores(" + host + ")) or allow oversubscription");
        }
        this.machine = machine;
        this.localCores = local;
        this.hostCpus = host;
        this.observer = drivers.isEmpty() ? Tracer.NONE : drivers.get(0).kernel().observer();
        this.kernelObserver = this.observer.forKernelTraffic();
        this.clockGhz = machine.clockGhz();
        this.epoch = System.nanoTime();
        this.memory = new OffHeapMemory(this, 1 + machine.cores().stream()
                .mapToInt(io.flotilla.machine.Core::numaNode).max().orElse(0));
        this.loops = new CoreLoop[drivers.size()];
        for (int c = 0; c < loops.length; c++) {
            CpuDriver d = drivers.get(c);
            if (d.kernel().isLocal(c)) {
                // Core c on host CPU c: nodes sharing a host with disjoint core ranges then use disjoint CPUs.
                loops[c] = new CoreLoop(this, d, pin ? c % host : -1, seeds.split());
            }
        }
    }

    @Override
    public Endpoint endpoint(int core) {
        return Endpoint.local(core);
    }

    /**
     * Opens a channel of the real transport; both ends report their frames and messages to the multikernel's
     * metrics and tracer (see {@link MeteredChannel}), as sim's channels do.
     */
    @Override
    public ChannelPair open(int coreA, int coreB, String transport, ChannelOptions options) {
        ChannelPair pair = transports.get(transport).open(endpoint(coreA), endpoint(coreB), options);
        Tracer hears = ChannelOptions.isKernel(options) ? kernelObserver : observer;
        // Metrics alone sample their latencies; a trace hears every message. Decided here, once per channel, not
        // per frame.
        return hears == Tracer.NONE ? pair
                : MeteredChannel.pair(pair, coreA, coreB, hears, this::now, hears.sampled());
    }

    /**
     * Opens on a thread of its own, so the asking core keeps turning meanwhile: a process's first net channel
     * takes seconds (its event loop starts, Netty and the crypto warm up) and a warm one milliseconds, which a
     * swap to net used to stall its server's core for. A thread per open, because opens are rare (swaps) and a
     * pool would have to be shut down with the platform. The future completes on that thread; the kernel hands
     * the outcome back to the core ({@code Monitor.onThisCore}).
     */
    @Override
    public java.util.concurrent.CompletableFuture<ChannelPair> openOffCore(int coreA, int coreB, String transport,
            ChannelOptions options) {
        var opened = new java.util.concurrent.CompletableFuture<ChannelPair>();
        Thread opener = new Thread(() -> {
            try {
                opened.complete(open(coreA, coreB, transport, options));
            } catch (RuntimeException | Error e) {
                opened.completeExceptionally(e);
            }
        }, "flotilla-open-" + transport + "-" + coreA + "-" + coreB);
        opener.setDaemon(true);
        opener.start();
        return opened;
    }

    /** The multikernel's metrics and tracer together, for channel ends opened outside {@link #open}. */
    public Tracer observer() {
        return observer;
    }

    @Override
    public void watch(int core, Channel end, Runnable poller) {
        // Every turn of a core polls all its bindings.
    }

    @Override
    public void unwatch(int core, Channel end) {}

    @Override
    public long now(int core) {
        return cyclesOf(System.nanoTime() - epoch);
    }

    long cyclesOf(long nanos) {
        return Math.round(nanos * clockGhz);
    }

    long nanosOf(long cycles) {
        return Math.round(cycles / clockGhz);
    }

    @Override
    public void schedule(int core, long delayCycles, Dispatcher owner, Runnable task) {
        loop(core).submit(System.nanoTime() + nanosOf(delayCycles), owner, task);
    }

    /**
     * The doorbell is queued on {@code toCore}'s loop as two numbers, who rang and the word, as an interrupt is: no
     * closure made on the ringing core runs on the other; {@code toCore}'s loop hands them to its own driver.
     */
    @Override
    public void ring(int fromCore, int toCore, long word) {
        loop(toCore).ring(fromCore, word);
    }

    private CoreLoop loop(int core) {
        CoreLoop loop = loops[core];
        if (loop == null) {
            throw new IllegalStateException("core " + core + " runs on another node: only its monitor, through "
                    + "the node runtime, reaches it");
        }
        return loop;
    }

    /**
     * Java cannot raise a real IPI: the interrupt is queued on {@code toCore}'s loop as three numbers, and that core
     * runs the handler it registered for {@code vector} on its next look at its queues (see {@link CoreLoop}).
     */
    @Override
    public void interrupt(int fromCore, int toCore, int vector, long word) {
        loop(toCore).interrupt(fromCore, vector, word);
    }

    @Override
    public SharedMemory sharedMemory() {
        return memory();
    }

    OffHeapMemory memory() {
        if (memory == null) {
            throw new IllegalStateException("the pinned platform's memory exists once a multikernel has booted on it");
        }
        return memory;
    }

    void spin(int core, long line, long seen, Dispatcher owner, Runnable then) {
        loop(core).spin(line, seen, owner, then);
    }

    /** Burns real time: modelled work takes as long as the machine's clock says it would. */
    @Override
    public void compute(int core, long cycles) {
        long until = System.nanoTime() + nanosOf(cycles);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Override
    public RandomGenerator random(int core) {
        return loop(core).random;
    }

    @Override
    public void run(Duration limit) {
        if (started) {
            throw new IllegalStateException("the pinned platform runs once");
        }
        if (hosted) {
            throw new IllegalStateException("a hosted pinned platform is run by its caller's threads (runCore)");
        }
        started = true;
        for (CoreLoop loop : loops) {
            if (loop != null) {
                loop.start();
            }
        }
        try {
            if (limit == null) {
                stop.await();
            } else {
                stop.await(limit.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            halt();
        }
    }

    boolean stopped() {
        return stopped;
    }

    @Override
    public void stop() {
        stopped = true;
        stop.countDown();
    }

    /** Whether every core thread managed to pin itself (false before {@link #run}). */
    public boolean pinned() {
        if (loops == null || !started) {
            return false;
        }
        for (CoreLoop loop : loops) {
            if (loop != null && !loop.pinned) {
                return false;
            }
        }
        return true;
    }

    @Override
    public OptionalLong traceHash() {
        return OptionalLong.empty();
    }

    @Override
    public void close() {
        halt();
    }

    private void halt() {
        stop();
        if (loops == null) {
            return;
        }
        for (CoreLoop loop : loops) {
            if (loop != null) {
                loop.join();
            }
        }
    }
}
