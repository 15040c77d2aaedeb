package io.flotilla.kernel;

import io.flotilla.kernel.CapabilityTransfers;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.TransportSelector;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A booted multikernel: one {@link CpuDriver} and one {@link Monitor} per core of a {@link Machine}, running on a
 * {@link Platform}, with the {@link Dispatcher}s given at boot. No static state: several can exist side by side.
 *
 * <pre>{@code
 * Multikernel mk = Multikernel.builder(Machines.load("amd-8x4"), new SimPlatform(42))
 *         .dispatcher(0, new Server())
 *         .dispatcher(5, new Client())
 *         .boot();
 * mk.run(Duration.ofMillis(10));     // prints "trace-hash: ..." on sim
 * }</pre>
 */
public final class Multikernel implements AutoCloseable {

    private final Machine machine;
    private final Platform platform;
    private final TransportSelector selector;
    private final ChannelOptions channelOptions;
    private final CapabilityTransfers capabilityTransfers;
    private final int cores;
    private final List<CpuDriver> drivers;
    private final Consumer<HandlerFailure> failureListener;
    private final List<HandlerFailure> failures = new ArrayList<>();
    private final PrintStream out;
    private final Tracer tracer;
    private final Metrics metrics = new Metrics();
    private final Tracer observer;
    private final Internode internode;
    private final ChannelTable channels = new ChannelTable();
    private volatile Skb skb;

    private Multikernel(Builder b) {
        this.machine = b.machine;
        this.platform = b.platform;
        this.selector = b.selector;
        this.channelOptions = b.channelOptions;
        this.capabilityTransfers = b.capabilityTransfers;
        this.cores = b.cores;
        this.failureListener = b.failureListener;
        this.out = b.out;
        this.tracer = b.tracer != null ? b.tracer : b.platform.defaultTracer();
        this.observer = Tracer.all(metrics, tracer);
        this.internode = b.internode;
        List<CpuDriver> list = new ArrayList<>(cores);
        for (int c = 0; c < cores; c++) {
            list.add(new CpuDriver(c, this));
        }
        this.drivers = List.copyOf(list);
    }

    public static Builder builder(Machine machine, Platform platform) {
        return new Builder(machine, platform);
    }

    public Machine machine() {
        return machine;
    }

    public Platform platform() {
        return platform;
    }

    public TransportSelector selector() {
        return selector;
    }

    /** How the bindings the monitors make move capability arguments; see {@link Builder#capabilityTransfers}. */
    public CapabilityTransfers capabilityTransfers() {
        return capabilityTransfers;
    }

    /** Where channel ends wait between the core that opened them and the core that takes them (one JVM). */
    ChannelTable channels() {
        return channels;
    }

    public ChannelOptions channelOptions() {
        return channelOptions;
    }

    /** Cores booted: the machine's, or fewer if the builder asked for fewer. */
    public int coreCount() {
        return cores;
    }

    public CpuDriver driver(int core) {
        return drivers.get(core);
    }

    public Monitor monitor(int core) {
        return drivers.get(core).monitor();
    }

    /**
     * The tracer given at boot ({@link Tracer#NONE} if none): the CPU drivers time their upcalls for it only when it
     * is not {@code NONE}.
     */
    public Tracer tracer() {
        return tracer;
    }

    /** This run's message counts and latencies; complete once {@link #run} has returned. */
    public Metrics metrics() {
        return metrics;
    }

    /**
     * Where platforms report frames and messages: the {@link #metrics()} and the {@link #tracer()} together. Never
     * {@code NONE}: metrics are always kept (a few counter increments per frame).
     */
    public Tracer observer() {
        return observer;
    }

    /**
     * Whether {@code core} runs in this JVM: always, unless the multikernel spans nodes (an {@link Internode} was
     * given at boot) and another node runs it.
     */
    public boolean isLocal(int core) {
        return internode == null || internode.isLocal(core);
    }

    /** How monitors reach cores of other nodes; null when every core is local. */
    public Internode internode() {
        return internode;
    }

    /** The core whose monitor keeps the name service. */
    public int nameServiceCore() {
        return 0;
    }

    /** The SKB of the machine, built on first use (it loads a Prolog engine: not worth paying for at every boot). */
    public Skb skb() {
        Skb s = skb;
        if (s == null) {
            synchronized (this) {
                s = skb;
                if (s == null) {
                    s = Skb.of(machine);
                    skb = s;
                }
            }
        }
        return s;
    }

    /** {@code d} in cycles of the machine's clock. */
    public long cycles(Duration d) {
        return Math.round(d.toNanos() * machine.clockGhz());
    }

    /**
     * Runs until a dispatcher calls {@link Dispatcher#stopKernel()}, until nothing is left to do (sim), or until
     * {@code limit} has passed; then prints the platform's trace hash as {@code trace-hash: <hex>}, if it has one.
     */
    public void run(Duration limit) {
        platform.run(limit);
        OptionalLong hash = platform.traceHash();
        if (hash.isPresent() && out != null) {
            out.println("trace-hash: " + String.format("%016x", hash.getAsLong()));
        }
    }

    /** Stops the run; a multikernel that spans nodes tells the other nodes to stop too. */
    public void stop() {
        platform.stop();
        if (internode != null) {
            internode.stopAll();
        }
    }

    public OptionalLong traceHash() {
        return platform.traceHash();
    }

    /** Handler failures so far, in the order they were reported. */
    public synchronized List<HandlerFailure> failures() {
        return List.copyOf(failures);
    }

    void report(HandlerFailure failure) {
        synchronized (this) {
            failures.add(failure);
        }
        failureListener.accept(failure);
    }

    @Override
    public void close() {
        platform.close();
    }

    /** Boot options. Every setter returns this builder. */
    public static final class Builder {
        private final Machine machine;
        private final Platform platform;
        private TransportSelector selector = TransportSelector.byLocality();
        private ChannelOptions channelOptions = ChannelOptions.DEFAULT;
        private CapabilityTransfers capabilityTransfers = CapabilityTransfers.LOCAL;
        private int cores;
        private final List<int[]> placements = new ArrayList<>();
        private final List<Dispatcher> placed = new ArrayList<>();
        private final List<IntFunction<Dispatcher>> perCore = new ArrayList<>();
        private Consumer<HandlerFailure> failureListener = Builder::log;
        private PrintStream out = System.out;
        private Tracer tracer;
        private Internode internode;

        private Builder(Machine machine, Platform platform) {
            this.machine = Objects.requireNonNull(machine, "machine");
            this.platform = Objects.requireNonNull(platform, "platform");
            this.cores = machine.coreCount();
        }

        /** The transport rule for binds; by locality unless given (an SKB-backed selector plugs in here). */
        public Builder selector(TransportSelector selector) {
            this.selector = Objects.requireNonNull(selector, "selector");
            return this;
        }

        public Builder channelOptions(ChannelOptions options) {
            this.channelOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Where bindings made by a bind get their capability transfer; {@link CapabilityTransfers#LOCAL} unless
         * given. {@code io.flotilla.kernel.cap.CapabilitySystem.install(builder)} sets the kernel's cross-core one
         * (its {@code CapabilityBindings}), with the agreement and capability monitors it needs.
         */
        public Builder capabilityTransfers(CapabilityTransfers transfers) {
            this.capabilityTransfers = Objects.requireNonNull(transfers, "transfers");
            return this;
        }

        /** Boots only cores 0..n-1 of the machine. */
        public Builder cores(int n) {
            if (n < 1 || n > machine.coreCount()) {
                throw new IllegalArgumentException("cores must be 1.." + machine.coreCount() + " on "
                        + machine.name() + ": " + n);
            }
            this.cores = n;
            return this;
        }

        /** Runs {@code dispatcher} on {@code core}. A core may have several. */
        public Builder dispatcher(int core, Dispatcher dispatcher) {
            placements.add(new int[] {core});
            placed.add(Objects.requireNonNull(dispatcher, "dispatcher"));
            return this;
        }

        /**
         * Runs {@code factory.apply(core)} on every core where it returns non-null, after the placed ones. Factories
         * add up: each given one is asked in turn, in the order given (so a kernel service such as
         * {@code CapabilitySystem.install} and the program's own per-core dispatchers can both use this).
         */
        public Builder dispatchers(IntFunction<Dispatcher> factory) {
            perCore.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** The cores this builder boots: the machine's, or what {@link #cores(int)} set. */
        public int coreCount() {
            return cores;
        }

        /** Who hears of handler failures (they are also kept in {@link Multikernel#failures()}); logs by default. */
        public Builder onFailure(Consumer<HandlerFailure> listener) {
            this.failureListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Where the trace hash is printed; null for nowhere. */
        public Builder out(PrintStream out) {
            this.out = out;
            return this;
        }

        /**
         * Who hears of upcalls and messages, e.g. a {@link io.flotilla.trace.ChromeTraceWriter}; the platform's
         * {@link Platform#defaultTracer()} ({@link Tracer#NONE} unless set there) if not given. The caller closes it
         * after the run.
         */
        public Builder tracer(Tracer tracer) {
            this.tracer = Objects.requireNonNull(tracer, "tracer");
            return this;
        }

        /**
         * Boots this JVM's share of a multikernel that spans several (nodes): {@code internode} says which cores run
         * here and carries monitor messages to the others. Dispatchers may only be placed on local cores, and
         * {@link #dispatchers(IntFunction)} is asked about local cores only. Needs a platform that runs a subset of
         * the cores (pinned); the simulator runs a whole machine in one JVM.
         */
        public Builder internode(Internode internode) {
            this.internode = Objects.requireNonNull(internode, "internode");
            return this;
        }

        public Multikernel boot() {
            for (int[] p : placements) {
                if (p[0] < 0 || p[0] >= cores) {
                    throw new IllegalArgumentException("no core " + p[0] + " (booting " + cores + " cores of "
                            + machine.name() + ")");
                }
                if (internode != null && !internode.isLocal(p[0])) {
                    throw new IllegalArgumentException("core " + p[0] + " runs on another node: "
                            + internode.describe(p[0]));
                }
            }
            if (internode != null && platform.traceHash().isPresent()) {
                throw new IllegalArgumentException("the " + platform.name() + " platform runs a whole machine in one "
                        + "JVM; a multikernel spanning nodes needs the pinned platform");
            }
            Multikernel mk = new Multikernel(this);
            mk.observer.boot(machine, cores);
            platform.attach(machine, mk.drivers);
            if (internode != null) {
                for (int c = 0; c < cores; c++) {
                    if (mk.isLocal(c)) {
                        mk.monitor(c).hearOtherNodes();
                    }
                }
            }
            for (int i = 0; i < placed.size(); i++) {
                mk.driver(placements.get(i)[0]).add(placed.get(i));
            }
            for (IntFunction<Dispatcher> factory : perCore) {
                for (int c = 0; c < cores; c++) {
                    if (!mk.isLocal(c)) {
                        continue;
                    }
                    Dispatcher d = factory.apply(c);
                    if (d != null) {
                        mk.driver(c).add(d);
                    }
                }
            }
            return mk;
        }

        private static void log(HandlerFailure f) {
            System.getLogger(Multikernel.class.getName()).log(System.Logger.Level.WARNING,
                    "handler failed on " + f, f.cause());
        }
    }
}
