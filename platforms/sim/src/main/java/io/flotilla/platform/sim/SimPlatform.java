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
    static final int POST = 2;
    static final int ARRIVAL = 3;
    static final int ROOM = 4;
    static final int INTERRUPT = 5;

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
    private int current = -1;
    private long globalTime;
    private boolean stopped;
    private long hash = 0x6a09e667f3bcc908L;
    private long events;
    private long channels;
    private Tracer defaultTracer = Tracer.NONE;
    private Tracer observer = Tracer.NONE;

    /** A simulation with the calibrated cost model of whatever machine it is booted on. */
    public SimPlatform(long seed) {
        this(seed, CostModel::calibrated);
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
        this.interconnect = new Interconnect(machine, this.drivers.length, model);
        this.memory = new CoherentMemory(this, machine, interconnect, model, this.drivers.length);
        this.busyUntil = new long[this.drivers.length];
        this.clock = new long[this.drivers.length];
    }

    @Override
    public Endpoint endpoint(int core) {
        return new Endpoint(machine.name(), 0, core);
    }

    @Override
    public ChannelPair open(int coreA, int coreB, String transport, ChannelOptions options) {
        boolean lrpc = TransportSelector.LRPC.equals(transport);
        if (lrpc && coreA != coreB) {
            throw new IllegalArgumentException("transport 'lrpc' cannot join cores " + coreA + " and " + coreB);
        }
        return SimChannel.open(this, coreA, coreB, lrpc, options.slots(), channels++);
    }

    @Override
    public void watch(int core, Channel end, Runnable poller) {
        ((SimChannel) end).watch(poller);
    }

    @Override
    public void unwatch(int core, Channel end) {
        ((SimChannel) end).watch(null);
    }

    @Override
    public long now(int core) {
        return core == current ? clock[core] : Math.max(globalTime, busyUntil[core]);
    }

    @Override
    public void schedule(int core, long delayCycles, Dispatcher owner, Runnable task) {
        queue.push(now(core) + delayCycles, core, TASK, owner, task);
    }

    @Override
    public void post(int fromCore, int toCore, Dispatcher owner, Runnable task) {
        long sent = now(fromCore);
        long arrival = fromCore == toCore ? sent + model.lrpcCycles() : interconnect.transfer(fromCore, toCore,
                sent, 2) + jitter();
        queue.push(arrival, toCore, POST, owner, task);
    }

    @Override
    public void compute(int core, long cycles) {
        if (core == current) {
            clock[core] += cycles;
        } else {
            busyUntil[core] = Math.max(busyUntil[core], globalTime) + cycles;
        }
    }

    @Override
    public void interrupt(int fromCore, int toCore, Dispatcher owner, Runnable handler) {
        if (model.ipiSendCycles() > 0) {
            compute(fromCore, model.ipiSendCycles());
        }
        long sent = now(fromCore);
        long arrival = fromCore == toCore ? sent : interconnect.transfer(fromCore, toCore, sent, 1) + jitter();
        queue.push(arrival, toCore, INTERRUPT, owner, handler);
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
    public RandomGenerator random(int core) {
        return random;
    }

    @Override
    public void run(Duration limit) {
        long end = limit == null ? Long.MAX_VALUE : Math.round(limit.toNanos() * machine.clockGhz());
        stopped = false;
        EventQueue q = queue;
        while (!stopped && q.size() > 0 && q.peekTime() <= end) {
            q.pop();
            int core = q.poppedCore;
            int kind = q.poppedKind;
            long t = q.poppedTime;
            globalTime = t;
            long start = Math.max(t, busyUntil[core]);
            clock[core] = start;
            current = core;
            hash = fold(hash, start, core, kind);
            events++;
            try {
                switch (kind) {
                    case TASK, POST -> drivers[core].upcall((Dispatcher) q.poppedA, (Runnable) q.poppedB);
                    case INTERRUPT -> {
                        clock[core] += model.trapCycles();
                        drivers[core].upcall((Dispatcher) q.poppedA, (Runnable) q.poppedB);
                    }
                    case ARRIVAL, ROOM -> ((SimChannel) q.poppedA).fire();
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

    /** When a frame published now by {@code from} becomes visible at {@code to}; charges the send cost. */
    long frameArrival(int from, int to, boolean lrpc, boolean firstOfMessage) {
        if (model.sendCycles() > 0) {
            compute(from, model.sendCycles());
        }
        long sent = now(from);
        if (lrpc || from == to) {
            return sent + model.lrpcCycles();
        }
        return interconnect.transfer(from, to, sent, firstOfMessage ? 2 : 1) + jitter();
    }

    /** The receiver's share of a frame's delivery: fetching its line from the sender's cache. */
    long fetchCycles(int from, int to) {
        return Math.max(interconnect.line(from, to), model.probeFloorCycles());
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

    void chargeDispatch(int core) {
        if (model.dispatchCycles() > 0) {
            compute(core, model.dispatchCycles());
        }
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
