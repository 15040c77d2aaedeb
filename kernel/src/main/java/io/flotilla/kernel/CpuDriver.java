package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The per-core kernel: a single-threaded, non-preemptive event loop. It owns the dispatchers and the bindings of
 * its core, delivers upcalls to them (timers, control messages, received frames) one at a time, and isolates
 * failures: a handler that throws is reported as a {@link HandlerFailure} with its core and dispatcher, that
 * dispatcher receives nothing more, and every other dispatcher (on this core and others) goes on.
 *
 * <p>Who drives the loop is the {@link Platform}'s business: the simulator calls {@link #upcall} and the pollers
 * it was asked to {@link Platform#watch watch} from its event queue; the pinned platform's core thread calls
 * {@link #pollBindings()} every turn. Either way only one thread ever enters a driver at a time.
 */
public final class CpuDriver {

    /** Frames one binding may deliver per turn, so one busy binding cannot starve the others on its core. */
    static final int POLL_BUDGET = 16;

    private final int core;
    private final Multikernel kernel;
    private final Monitor monitor;
    private final Tracer tracer;
    /**
     * Whether upcalls and polls are timed for the tracer: not for {@link Tracer#NONE}, nor for one that draws no
     * slices ({@link Tracer#sampled()}, the metrics): then a run does not even read the clock. Final, decided at
     * boot: a predictable branch on a field of this core's own driver.
     */
    private final boolean slices;
    private final List<Dispatcher> dispatchers = new ArrayList<>();
    private final ArrayList<Attached> bindings = new ArrayList<>();
    /** This core's modelled TLB: translations cached by address-space accesses, dropped by shootdowns. */
    private final Tlb tlb = new Tlb();
    /** Which of this core's dispatchers handles each interrupt vector. */
    private final InterruptVectors vectors;

    /** A binding this core polls, with the channel end it was created on and the dispatcher it belongs to. */
    private final class Attached implements Runnable {
        final Binding binding;
        /** Every channel end the binding has used; a swap adds one (the binding closes the old ones itself). */
        final ArrayList<Channel> ends = new ArrayList<>(1);
        final Dispatcher owner;
        final Connection connection;

        Attached(Binding binding, Channel end, Dispatcher owner, Connection connection) {
            this.binding = binding;
            this.ends.add(end);
            this.owner = owner;
            this.connection = connection;
        }

        /**
         * The poller an event-driven platform runs when an end may have work. A poll that used its whole budget
         * may have left frames behind (a burst, or the frames of a new channel that waited behind a swap marker):
         * poll again as the core's next event rather than wait for an arrival that may never come.
         */
        @Override
        public void run() {
            if (poll(this) == POLL_BUDGET) {
                kernel.platform().schedule(core, 0, owner, this);
            }
        }
    }

    CpuDriver(int core, Multikernel kernel) {
        this.core = core;
        this.kernel = kernel;
        this.monitor = new Monitor(this, kernel);
        this.vectors = new InterruptVectors(core);
        this.tracer = kernel.tracer();
        this.slices = tracer != Tracer.NONE && !tracer.sampled();
    }

    /** This core's modelled TLB. */
    public Tlb tlb() {
        return tlb;
    }

    public int core() {
        return core;
    }

    public Monitor monitor() {
        return monitor;
    }

    public Multikernel kernel() {
        return kernel;
    }

    /** The dispatchers on this core, in the order they were added. */
    public List<Dispatcher> dispatchers() {
        return List.copyOf(dispatchers);
    }

    void add(Dispatcher dispatcher) {
        dispatcher.attach(this);
        dispatchers.add(dispatcher);
        kernel.platform().schedule(core, 0, dispatcher, dispatcher::onStart);
    }

    /**
     * Runs one upcall on this core: {@code task} on behalf of {@code owner} (null for the monitor). A dispatcher
     * that has failed gets no more upcalls; a throwing task fails its dispatcher and is reported.
     */
    public void upcall(Dispatcher owner, Runnable task) {
        if (owner != null && owner.failed()) {
            return;
        }
        if (!slices) {
            run(owner, task);
            return;
        }
        long start = now();
        run(owner, task);
        tracer.slice(core, owner, "upcall", start, now());
    }

    private void run(Dispatcher owner, Runnable task) {
        try {
            task.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // user code: anything it throws is that dispatcher's failure, not the core's
            fail(owner, e);
        }
    }

    private long now() {
        return kernel.platform().now(core);
    }

    /** Starts polling {@code binding}, whose channel end is {@code end}, on behalf of {@code owner}. */
    void register(Binding binding, Channel end, Dispatcher owner, Connection connection) {
        Attached a = new Attached(binding, end, owner, connection);
        binding.setClock(new DriverClock(kernel.platform(), core, kernel.machine().clockGhz(), owner, a));
        bindings.add(a);
        kernel.platform().watch(core, end, a);
    }

    /** The connection {@code binding} belongs to, if this core polls it; null otherwise. */
    Connection connectionOf(Binding binding) {
        Attached a = attached(binding);
        return a == null ? null : a.connection;
    }

    /** The connection of the bind between nodes that core {@code clientCore} numbered {@code bind}, if polled here. */
    /** This core's end of the bind {@code (clientCore, bind)}: its server's end or its client's. */
    Connection connection(int clientCore, long bind, boolean server) {
        for (Attached a : bindings) {
            Connection c = a.connection;
            if (c != null && c.bind == bind && c.clientCore == clientCore && c.server == server) {
                return c;
            }
        }
        return null;
    }

    /** The doorbell: {@code from}'s monitor opened a link to this core's monitor (see {@link Platform#ring}). */
    public void doorbell(int from, long word) {
        try {
            monitor.linkArrived(from, word);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException e) {
            fail(null, e);
        }
    }

    /** {@code owner}, a dispatcher of this core, handles {@code vector} here from now on (see {@link Dispatcher#onInterrupt}). */
    void registerInterrupt(int vector, Dispatcher owner, InterruptHandler handler) {
        vectors.register(vector, owner, handler);
    }

    /**
     * An inter-processor interrupt from core {@code from} on {@code vector} has arrived and the platform has charged
     * the trap (see {@link Platform#interrupt}): runs the handler this core registered for the vector, as its
     * dispatcher, like any upcall (a failed dispatcher gets nothing; a throwing handler fails its dispatcher). A
     * vector no dispatcher of this core registered is reported once, as the kernel's failure, naming the core, the
     * vector and the sender: hardware would fault on the empty entry of the core's descriptor table.
     */
    public void interrupt(int from, int vector, long word) {
        InterruptHandler handler = vector >= 0 && vector < InterruptVectors.COUNT ? vectors.handler(vector) : null;
        if (handler == null) {
            fail(null, new IllegalStateException("core " + core + ": interrupt vector " + vector + " from core "
                    + from + " has no handler registered on this core"));
            return;
        }
        Dispatcher owner = vectors.owner(vector);
        if (owner.failed()) {
            return;
        }
        if (!slices) {
            runInterrupt(owner, handler, from, word);
            return;
        }
        long start = now();
        runInterrupt(owner, handler, from, word);
        // Named as any other upcall: a trace of a run looks as it did when the handler came as a task.
        tracer.slice(core, owner, "upcall", start, now());
    }

    private void runInterrupt(Dispatcher owner, InterruptHandler handler, int from, long word) {
        try {
            handler.interrupted(from, word);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // the handler is the dispatcher's code: its failure, not the core's
            fail(owner, e);
        }
    }

    void swap(Binding binding, Channel next) {
        Attached a = attached(binding);
        if (a == null) {
            next.close();
            return; // unbound meanwhile
        }
        binding.swap(next);
        a.ends.add(next);
        kernel.platform().watch(core, next, a);
    }

    private Attached attached(Binding binding) {
        for (Attached a : bindings) {
            if (a.binding == binding) {
                return a;
            }
        }
        return null;
    }

    /** Stops polling {@code binding} and closes it. */
    void unregister(Binding binding) {
        for (int i = 0; i < bindings.size(); i++) {
            Attached a = bindings.get(i);
            if (a.binding == binding) {
                bindings.remove(i);
                unwatch(a);
                break;
            }
        }
        binding.close();
    }

    /**
     * One turn over every binding of this core: flush queued sends, deliver received frames. For platforms that
     * poll (pinned).
     *
     * @return frames delivered
     */
    public int pollBindings() {
        return pollDispatcherBindings() + pollMonitorBindings();
    }

    /**
     * One turn over the bindings of this core's dispatchers only: the fast path of a polling platform's loop. The
     * monitor's links carry binds, swaps and the name service, rare next to a program's messages, and each idle one
     * costs a full poll (binding, metering, the channel's acquire load) on every turn; a loop polls them with
     * {@link #pollMonitorBindings} on its housekeeping turns instead.
     *
     * @return frames delivered
     */
    public int pollDispatcherBindings() {
        int work = 0;
        // Indexed loop: a handler may bind or unbind, which changes the list under us.
        for (int i = 0; i < bindings.size(); i++) {
            Attached a = bindings.get(i);
            if (a.owner != null) {
                work += poll(a);
            }
        }
        return work;
    }

    /** One turn over the monitor's own links (kernel bindings, no dispatcher): see {@link #pollDispatcherBindings}. */
    public int pollMonitorBindings() {
        int work = 0;
        for (int i = 0; i < bindings.size(); i++) {
            Attached a = bindings.get(i);
            if (a.owner == null) {
                work += poll(a);
            }
        }
        return work;
    }

    private int poll(Attached a) {
        if (a.owner != null && a.owner.failed()) {
            return 0;
        }
        if (!slices) {
            return pollOnce(a);
        }
        long start = now();
        int frames = pollOnce(a);
        // Only turns that delivered something: the pinned platform polls every binding on every turn.
        if (frames > 0) {
            tracer.slice(core, a.owner, "receive", start, now());
        }
        return frames;
    }

    private int pollOnce(Attached a) {
        try {
            return a.binding.poll(POLL_BUDGET);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            fail(a.owner, e);
            return 0;
        }
    }

    private void fail(Dispatcher owner, Throwable cause) {
        String who = owner == null ? "monitor" : owner.name();
        if (owner != null) {
            owner.markFailed();
            // Its bindings are dead: stop polling them so their frames do not pile up in every turn.
            for (int i = bindings.size() - 1; i >= 0; i--) {
                Attached a = bindings.get(i);
                if (a.owner == owner) {
                    bindings.remove(i);
                    unwatch(a);
                }
            }
        }
        kernel.report(new HandlerFailure(core, who, Objects.requireNonNull(cause)));
    }

    private void unwatch(Attached a) {
        for (Channel end : a.ends) {
            kernel.platform().unwatch(core, end);
        }
    }

    /** Bindings this core polls for dispatchers (and their binds); a monitor's links to other monitors are not counted. */
    public int bindingCount() {
        int n = 0;
        for (Attached a : bindings) {
            if (a.owner != null || a.connection != null) {
                n++; // not a monitor's own link to another monitor
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "cpu driver " + core;
    }
}
