package io.flotilla.platform.sim;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportSelector;
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
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The {@code sim} platform: a deterministic discrete-event simulation of the machine in virtual cycles, on the
 * calling thread.
 *
 * <p><b>Time.</b> Events (timers, control messages, frame arrivals) wait in an {@link EventQueue} ordered by
 * (time, sequence). Each core also has a busy-until time: cores are non-preemptive, so an event for a busy core
 * starts when the core is free. While a handler runs, its core's clock starts at the event's start time and
 * advances by what it charges ({@link #compute}, the per-message dispatch cost); sends are stamped with it.
 *
 * <p><b>Determinism.</b> No wall clock, no unordered iteration, one {@link SplittableRandom} seeded by the caller.
 * Every event is folded into a 64-bit trace hash (start time, core, kind), so two runs with the same seed and
 * inputs give the same hash, bit for bit.
 */
public final class SimPlatform implements Platform {

    static final int TASK = 1;
    static final int DOORBELL = 2;
    static final int ARRIVAL = 3;
    static final int ROOM = 4;
    static final int INTERRUPT = 5;
    static final int NET_STACK = 6;

    private final long seed;
    private final SplittableRandom random;
    private final Function<Machine, CostModel> models;
    private final EventQueue queue = new EventQueue(1024);
    private Machine machine;
    private CostModel model;
    private Interconnect interconnect;
    private CoherentMemory memory;
    private CpuDriver[] drivers;
    private long[] busyUntil;
    private long[] clock;
    /** Per core: when each of its outstanding-miss slots frees (CostModel.outstandingMisses). */
    private long[][] missSlots;
    /** Per core: channel ends its dispatchers watch, which its event loop polls on every pass. */
    private int[] watched;
    /** Per core: when the last charged pass of its event loop began ({@link Mechanism#POLL_LOOP}). */
    private long[] lastPass;

    private int current = -1;
    private long globalTime;
    private boolean stopped;
    private long hash = 0x6a09e667f3bcc908L;
    private long events;
    private long channels;
    private Tracer defaultTracer = Tracer.NONE;
    private Tracer observer = Tracer.NONE;
    /** What hears the monitors' own links: the tracer (they show in a trace), not the metrics of the workload. */
    private Tracer kernelObserver = Tracer.NONE;

    /** A simulation with the calibrated cost model of whatever machine it is booted on. */
    public SimPlatform(long seed) {
        this(seed, CostModel::calibrated);
    }

    /** A simulation with the calibrated cost model less the mechanisms in {@code off} (an ablation run). */
    public SimPlatform(long seed, java.util.Set<Mechanism> off) {
        this(seed, m -> CostModel.calibratedWithout(m, off));
    }

    public SimPlatform(long seed, CostModel model) {
        this(seed, m -> model);
    }

    private SimPlatform(long seed, Function<Machine, CostModel> models) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.models = models;
    }

    @Override
    public String name() {
        return "sim";
    }

    public long seed() {
        return seed;
    }

    public CostModel costModel() {
        return model;
    }

    /**
     * Traces a multikernel booted on this platform whose builder names no tracer (for callers that hand the platform
     * to code that boots it). Call before boot.
     */
    public SimPlatform tracer(Tracer tracer) {
        this.defaultTracer = java.util.Objects.requireNonNull(tracer, "tracer");
        return this;
    }

    @Override
    public Tracer defaultTracer() {
        return defaultTracer;
    }

    @Override
    public void attach(Machine machine, List<CpuDriver> drivers) {
        if (this.machine != null) {
            throw new IllegalStateException("a SimPlatform runs one multikernel; make another for another boot");
        }
        this.machine = machine;
        this.model = models.apply(machine);
        this.drivers = drivers.toArray(new CpuDriver[0]);
        this.observer = drivers.isEmpty() ? Tracer.NONE : drivers.get(0).kernel().observer();
        this.kernelObserver = this.observer.forKernelTraffic();
        this.interconnect = new Interconnect(machine, this.drivers.length, model);
        this.memory = new CoherentMemory(this, machine, interconnect, model, this.drivers.length);
        this.busyUntil = new long[this.drivers.length];
        this.clock = new long[this.drivers.length];
        int slots = model.on(Mechanism.MISS_OVERLAP) ? model.outstandingMisses() : 1;
        this.missSlots = new long[this.drivers.length][slots];
        this.watched = new int[this.drivers.length];
        this.lastPass = new long[this.drivers.length];
        java.util.Arrays.fill(lastPass, -1);
    }

    /** The transports the simulator prices: the names {@link TransportSelector} gives. */
    public static final java.util.Set<String> TRANSPORTS = java.util.Collections.unmodifiableSet(
            new java.util.TreeSet<>(java.util.List.of(TransportSelector.LRPC, TransportSelector.NET,
                    TransportSelector.URPC)));

    @Override
    public Endpoint endpoint(int core) {
        return new Endpoint(machine.name(), 0, core);
    }

    @Override
    public ChannelPair open(int coreA, int coreB, String transport, ChannelOptions options) {
        SimChannel.Kind kind = switch (transport) {
            case TransportSelector.LRPC -> SimChannel.Kind.LRPC;
            case TransportSelector.URPC -> SimChannel.Kind.URPC;
            case TransportSelector.NET -> SimChannel.Kind.NET;
            default -> throw new IllegalArgumentException("no transport named '" + transport + "' on sim; known: "
                    + TRANSPORTS);
        };
        if (kind == SimChannel.Kind.LRPC && coreA != coreB) {
            throw new IllegalArgumentException("transport 'lrpc' cannot join cores " + coreA + " and " + coreB);
        }
        return SimChannel.open(this, coreA, coreB, kind, options.slots(), channels++,
                ChannelOptions.isKernel(options) ? kernelObserver : observer);
    }

    @Override
    public void watch(int core, Channel end, Runnable poller) {
        SimChannel e = (SimChannel) end;
        if (!e.watched() && poller != null && e.polled()) {
            watched[e.core()]++;
        }
        e.watch(poller);
    }

    @Override
    public void unwatch(int core, Channel end) {
        SimChannel e = (SimChannel) end;
        if (e.watched() && e.polled()) {
            watched[e.core()]--;
        }
        e.watch(null);
    }

    @Override
    public long now(int core) {
        return core == current ? clock[core] : Math.max(globalTime, busyUntil[core]);
    }

    @Override
    public void schedule(int core, long delayCycles, Dispatcher owner, Runnable task) {
        queue.push(now(core) + delayCycles, core, TASK, owner, task);
    }

    /**
     * A doorbell costs what one line moving from {@code fromCore} to {@code toCore} costs (the word the peer polls),
     * plus the link's queueing: what a channel's first frame pays, without the frame.
     */
    @Override
    public void ring(int fromCore, int toCore, long word) {
        long sent = now(fromCore);
        long arrival = fromCore == toCore ? sent + model.lrpcCycles() : interconnect.transfer(fromCore, toCore,
                sent, 1) + jitter();
        queue.pushSignal(arrival, toCore, DOORBELL, fromCore, 0, word);
    }

    @Override
    public void compute(int core, long cycles) {
        if (core == current) {
            clock[core] += cycles;
        } else {
            busyUntil[core] = Math.max(busyUntil[core], globalTime) + cycles;
        }
    }

    /**
     * The sender waits one line transfer for the APIC's delivery status, or what the machine measured for sending an
     * interrupt (with {@link Mechanism#KERNEL_CROSSINGS});
     * the interrupt arrives one transfer (plus jitter) after that, and the target pays the trap when it takes it.
     * Only the numbers travel: the target's driver finds the handler it registered for {@code vector}.
     */
    @Override
    public void interrupt(int fromCore, int toCore, int vector, long word) {
        if (fromCore != toCore && model.on(Mechanism.KERNEL_CROSSINGS)) {
            // The sender spins on the APIC's delivery status until the interrupt message has been accepted; a
            // machine that measured its own cost of sending one (a host's twin) pays that instead.
            long send = model.interruptSendCycles();
            compute(fromCore, send == CostModel.APIC_DELIVERY_WAIT ? interconnect.line(fromCore, toCore) : send);
        }
        long sent = now(fromCore);
        long arrival = fromCore == toCore ? sent : interconnect.transfer(fromCore, toCore, sent, 1) + jitter();
        queue.pushSignal(arrival, toCore, INTERRUPT, fromCore, vector, word);
    }

    @Override
    public SharedMemory sharedMemory() {
        if (memory == null) {
            throw new IllegalStateException("the sim platform's memory exists once a multikernel has booted on it");
        }
        return memory;
    }

    @Override
    public void invalidateTlb(int core, long pages) {
        compute(core, pages * model.tlbInvalidateCycles());
    }

    @Override
    public void invokeCapability(int core) {
        if (model.on(Mechanism.KERNEL_CROSSINGS)) {
            compute(core, model.capInvokeCycles());
        }
    }

    @Override
    public void systemCall(int core) {
        if (model.on(Mechanism.KERNEL_CROSSINGS)) {
            compute(core, model.syscallCycles());
        }
    }

    @Override
    public RandomGenerator random(int core) {
        return random;
    }

    @Override
    public void run(Duration limit) {
        // Every core runs on this thread: a blocking stub called from a dispatcher would wait forever.
        io.flotilla.binding.EventLoop.markLoopThread("the simulation of " + machine.name());
        try {
            simulate(limit);
        } finally {
            io.flotilla.binding.EventLoop.markLoopThread(null);
        }
    }

    private void simulate(Duration limit) {
        long end = limit == null ? Long.MAX_VALUE : Math.round(limit.toNanos() * machine.clockGhz());
        stopped = false;
        EventQueue q = queue;
        while (!stopped && q.size() > 0 && q.peekTime() <= end) {
            q.pop();
            int core = q.poppedCore;
            int kind = q.poppedKind;
            long t = q.poppedTime;
            globalTime = t;
            if ((++events & 31) == 0) {
                interconnect.forget(t);
            }
            if (kind == NET_STACK) {
                // A network stack's event loop, not the core's dispatchers: the core's clock is not involved.
                hash = fold(hash, t, core, kind);
                ((NetPath) q.poppedA).stackFree(t);
                continue;
            }
            long start = Math.max(t, busyUntil[core]);
            clock[core] = start;
            current = core;
            hash = fold(hash, start, core, kind);
            try {
                switch (kind) {
                    case TASK -> drivers[core].upcall((Dispatcher) q.poppedA, (Runnable) q.poppedB);
                    case DOORBELL -> drivers[core].doorbell(q.poppedSource(), q.poppedWord());
                    case INTERRUPT -> {
                        clock[core] += model.trapCycles();
                        drivers[core].interrupt(q.poppedSource(), q.poppedVector(), q.poppedWord());
                    }
                    case ARRIVAL, ROOM -> {
                        SimChannel arrived = (SimChannel) q.poppedA;
                        if (model.on(Mechanism.POLL_LOOP) && arrived.polled() && lastPass[core] < t) {
                            // One pass of the event loop: a look at the next slot of every channel it watches. The
                            // Table 2 benchmark's loop looked at its one channel, so that look is in the calibration.
                            // A frame that was already visible when the core's last pass began was seen by that
                            // pass: it costs no pass of its own.
                            clock[core] += Math.max(0, watched[core] - 1) * model.pollCycles();
                            lastPass[core] = start;
                        }
                        arrived.fire();
                    }
                    default -> throw new IllegalStateException("unknown event kind " + kind);
                }
            } finally {
                busyUntil[core] = clock[core];
                current = -1;
            }
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public OptionalLong traceHash() {
        return OptionalLong.of(hash);
    }

    /** The cycles of one cache-line transfer (a request and its answer) from core {@code a} to core {@code b}. */
    public long lineCycles(int a, int b) {
        return interconnect.line(a, b);
    }

    /** Events run so far. */
    public long events() {
        return events;
    }

    /** Virtual time of the last event, in cycles. */
    public long time() {
        return globalTime;
    }

    @Override
    public void close() {
        stopped = true;
    }

    // ---- called by CoherentMemory ------------------------------------------------------------------------------

    /** Moves {@code core}'s clock on to {@code time}: the core stalled on a memory access until then. */
    void advanceTo(int core, long time) {
        long now = now(core);
        if (time > now) {
            compute(core, time - now);
        }
    }

    /** Runs {@code task} on {@code core} at absolute time {@code time} (a spinning core seeing a change). */
    void wake(int core, long time, Dispatcher owner, Runnable task) {
        queue.push(Math.max(time, globalTime), core, TASK, owner, task);
    }

    // ---- called by SimChannel ---------------------------------------------------------------------------------

    /** When a URPC or LRPC frame published now by {@code from} is in {@code to}'s hands. */
    long frameArrival(int from, int to, boolean lrpc, boolean firstOfMessage) {
        long sent = now(from);
        if (lrpc || from == to) {
            return sent + model.lrpcCycles();
        }
        return interconnect.transfer(from, to, sent, firstOfMessage ? 2 : 1) + jitter();
    }

    /** The receiver's share of a frame's delivery: fetching its line from the sender's cache. */
    long fetchCycles(int from, int to) {
        return interconnect.line(from, to);
    }

    /** One coherent miss from {@code from}'s cache to {@code to}: the transfer, at least the probe round. */
    long missCycles(int from, int to) {
        return Math.max(interconnect.line(from, to), model.probeFloor());
    }

    /**
     * When {@code core}'s miss on a frame's line, visible from {@code visible}, completes. With
     * {@link Mechanism#MISS_OVERLAP} the core's poll issued it when the line changed, it waits for one of the core's
     * outstanding-miss slots, and it cannot complete before the channel's previous miss plus one miss, at least the
     * probe floor (the chain of dependent polls: the next slot is read once the previous one has been). Without it the core stalls now for the whole miss, floor included, one at a time.
     */
    long fetched(int core, long visible, long fetch, long previousOfChannel) {
        if (!model.on(Mechanism.MISS_OVERLAP)) {
            return now(core) + Math.max(fetch, model.probeFloor());
        }
        long[] slots = missSlots[core];
        int free = 0;
        for (int i = 1; i < slots.length; i++) {
            if (slots[i] < slots[free]) {
                free = i;
            }
        }
        long begin = Math.max(visible, slots[free]);
        // The receive loop takes the previous frame (its CPU work) before it polls this slot.
        long chained = previousOfChannel + Math.max(model.messageCpu() + fetch, model.probeFloor());
        long done = Math.max(begin + fetch, chained);
        slots[free] = done;
        return done;
    }

    /** {@code n} lines from {@code from} to {@code to}, sent at {@code time}: when the last has arrived. */
    long lines(int from, int to, long time, int n) {
        return interconnect.transfer(from, to, time, n);
    }

    /** A net channel's direction from {@code from} to {@code to}. */
    NetPath netPath(int from, int to) {
        return new NetPath(this, from, to, model, machine.clockGhz());
    }

    /** The sending stack of {@code path} comes free at {@code time}. */
    void netStackFreeAt(int core, long time, NetPath path) {
        queue.push(Math.max(time, globalTime), core, NET_STACK, path, null);
    }

    /** Charges a dispatcher's CPU work for one frame sent or received on a channel of {@code kind}. */
    void chargeMessageCpu(int core, SimChannel.Kind kind) {
        if (kind != SimChannel.Kind.LRPC && model.messageCpu() > 0) {
            compute(core, model.messageCpu());
        }
    }

    /** Who hears of frames: the kernel's metrics and tracer. */
    Tracer observer() {
        return observer;
    }

    void arrivalAt(int core, long time, SimChannel end) {
        queue.push(time, core, ARRIVAL, end, null);
    }

    /** The receiver freed slots: the sender hears of it one line transfer later. */
    void roomAt(int senderCore, SimChannel senderEnd) {
        int receiver = current < 0 ? senderCore : current;
        queue.push(now(receiver) + interconnect.line(receiver, senderCore), senderCore, ROOM, senderEnd, null);
    }

    private long jitter() {
        long j = model.jitterCycles();
        return j == 0 ? 0 : random.nextLong(j + 1);
    }

    /** Folds one event into the trace hash (a multiply-xorshift mix, as in SplitMix64's finaliser). */
    static long fold(long h, long time, int core, int kind) {
        h ^= time;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= ((long) core << 8) | kind;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
