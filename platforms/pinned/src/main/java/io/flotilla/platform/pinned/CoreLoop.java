package io.flotilla.platform.pinned;

import io.flotilla.kernel.CpuDriver;
import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One core's thread on the pinned platform: polls its dispatchers' bindings, and besides them its monitor's links,
 * takes the interrupts and doorbells other cores sent it, drains its inbox (control messages and timers from any
 * thread), runs due timers and checks the lines it spins on; on a turn with no work it asks its {@link IdleStrategy}.
 *
 * <p>The fast path is the bindings, the lines the core spins on and the interrupts and doorbells sent to it (a
 * spinning core sees a change at once, and hardware takes an interrupt at once):
 * a turn polls the dispatchers' bindings first and looks at the rest (the monitor's
 * links included: binds and swaps are rare, and an idle link costs a full poll) only every
 * {@value #HOUSEKEEPING_TURNS} turns, or on every {@value #IDLE_HOUSEKEEPING_TURNS}th turn the bindings had
 * nothing. Each look is cheap when there is nothing: {@link ConcurrentLinkedQueue#isEmpty} reads a line that only a
 * submit writes, and the clock is read only when a timer is pending. So a core busy with messages delays a task or a
 * due timer by at most {@value #HOUSEKEEPING_TURNS} turns (a few microseconds), an idle one by a few turns; an idle
 * strategy never parks while a task waits in the inbox or a timer is due ({@link #parkLimit}).
 *
 * <p>Normally the loop owns a thread ({@link #start}); a {@linkplain PinnedPlatform#hosted() hosted} platform's
 * loops are run by their caller's threads instead ({@link #turn}).
 */
final class CoreLoop implements Runnable {

    /** Turns between looks at the inbox and timers while bindings keep the core busy: a power of two. */
    static final int HOUSEKEEPING_TURNS = 16;
    /**
     * Turns between looks at the rest while the bindings have nothing: a power of two. An idle core looking at
     * everything on every turn made each turn of its wait several polls long, so a frame arriving mid-turn waited
     * for them; looking on every 4th idle turn, the runtime contestant's round trip went from 260-300 to 220-231 ns
     * (interleaved runs, docs/benchmarks.md), while a task or the monitor's links wait at most four idle turns (well
     * under a microsecond) more.
     */
    static final int IDLE_HOUSEKEEPING_TURNS = 4;

    /** A task due at a time; seq keeps equal deadlines in submission order. */
    private record Task(long due, long seq, Dispatcher owner, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }

    private final PinnedPlatform platform;
    private final CpuDriver driver;
    private final int cpu;
    final SplittableRandom random;
    private final ConcurrentLinkedQueue<Task> inbox = new ConcurrentLinkedQueue<>();
    /**
     * Interrupts and doorbells other cores sent this one, in the order they were sent: only numbers, who sent each,
     * its vector (an interrupt's) and its word (the queue's add and poll order the record's fields for this core's
     * thread); what runs is what this core registered ({@link CpuDriver#interrupt}, {@link CpuDriver#doorbell}).
     */
    private final ConcurrentLinkedQueue<Signal> signals = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Task> timers = new PriorityQueue<>();
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
    /** Cores spinning on shared lines ({@link OffHeapMemory#awaitChange}); touched by this core's thread only. */
    private final ArrayList<Spin> spins = new ArrayList<>();
    private final ArrayList<Spin> ready = new ArrayList<>();
    private Thread thread;
    /** Whether this loop's thread is parked or about to park ({@link #park}, {@link #wake}). */
    private volatile boolean parking;
    volatile boolean pinned;
    private IdleStrategy idle;
    /** Whether {@link #start} made the thread (a hosted loop's thread belongs to its caller: never joined). */
    private boolean owned;

    private record Spin(long line, long seen, Dispatcher owner, Runnable then) {}

    /** An interrupt ({@code doorbell} false) or a doorbell (its {@code vector} unused) from core {@code from}. */
    private record Signal(boolean doorbell, int from, int vector, long word) {}

    /** The driver of this loop's core: only this core's own tasks call it. */
    CpuDriver driver() {
        return driver;
    }

    CoreLoop(PinnedPlatform platform, CpuDriver driver, int cpu, SplittableRandom random) {
        this.platform = platform;
        this.driver = driver;
        this.cpu = cpu;
        this.random = random;
    }

    void submit(long due, Dispatcher owner, Runnable task) {
        inbox.add(new Task(due, seq.getAndIncrement(), owner, task));
        wake();
    }

    /** Queues an interrupt from core {@code from}; any thread. */
    void interrupt(int from, int vector, long word) {
        signals.add(new Signal(false, from, vector, word));
        wake();
    }

    /** Queues a doorbell from core {@code from} with {@code word}; any thread. */
    void ring(int from, long word) {
        signals.add(new Signal(true, from, 0, word));
        wake();
    }

    /**
     * Ends a park of this loop's thread, if it is parked or about to park: something was just queued for it. A
     * thread that is running is left alone: an unpark costs its caller a call into the JVM (a thread-list handle, the
     * target's parker mutex), and an interrupt between two spinning cores took 1,760 cycles one way with it on every
     * send, against a message's 350 (the twin's interrupt round trip, docs/experiments.md).
     *
     * <p>No wake-up is lost: the sender's queue insert (a volatile write) comes before its read of {@link #parking},
     * and the parking thread's write of {@code parking} before its look at the queues ({@link #park}); volatile
     * accesses are totally ordered, so either the sender sees {@code parking} and unparks, or the parking thread sees
     * what was queued and does not park.
     */
    private void wake() {
        if (parking) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Parks this loop's thread for at most {@code maxNanos}, and not past its next timer; from that thread only. */
    void park(long maxNanos) {
        parking = true;
        long nanos = Math.min(maxNanos, parkLimit());
        if (nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
        parking = false;
    }

    /** Waits for {@code line} to stop holding {@code seen}; from any thread, registered on this core's. */
    void spin(long line, long seen, Dispatcher owner, Runnable then) {
        Spin s = new Spin(line, seen, owner, then);
        if (Thread.currentThread() == thread) {
            spins.add(s);
        } else {
            submit(System.nanoTime(), owner, () -> spins.add(s));
        }
    }

    /** Upcalls for the spins whose line changed; called on turns with spins registered. */
    private int pollSpins() {
        OffHeapMemory memory = platform.memory();
        for (int i = 0; i < spins.size(); ) {
            Spin s = spins.get(i);
            if (memory.read(driver.core(), s.line()) != s.seen()) {
                ready.add(s);
                spins.remove(i);
            } else {
                i++;
            }
        }
        int n = ready.size();
        for (int i = 0; i < n; i++) {
            Spin s = ready.get(i);
            driver.upcall(s.owner(), s.then());
        }
        ready.clear();
        return n;
    }

    void start() {
        owned = true;
        thread = new Thread(this, "flotilla-core-" + driver.core());
        thread.setDaemon(true);
        thread.start();
    }

    void join() {
        Thread t = thread;
        if (t == null || !owned || t == Thread.currentThread()) {
            return;
        }
        LockSupport.unpark(t);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        pinned = cpu >= 0 && pin(cpu);
        begin(Thread.currentThread(), platform.idleStrategy(pinned));
        // The turn count is a local: a field would be written every turn, and the loops of two cores are made one
        // after the other, side by side in the heap (false sharing).
        for (int turn = 1; !platform.stopped(); turn++) {
            idle.idle(turn(turn), this);
        }
    }

    /**
     * Makes {@code caller} this loop's thread, for a hosted platform whose loops its caller runs: from now on only
     * {@code caller} may call {@link #turn}.
     */
    void host(Thread caller) {
        if (thread == null) {
            begin(caller, IdleStrategy.of(IdleStrategy.Kind.SPIN, false, 0, 0));
        } else if (thread != caller) {
            throw new IllegalStateException("core " + driver.core() + " is run by " + thread.getName() + ", not by "
                    + caller.getName());
        }
    }

    private void begin(Thread self, IdleStrategy strategy) {
        thread = self;
        idle = strategy;
        // A blocking stub called from a dispatcher here would wait for a response only this thread delivers.
        io.flotilla.binding.EventLoop.markLoopThread("core " + driver.core());
    }

    /** The idle strategy this loop runs with; null before it started. */
    IdleStrategy idleStrategy() {
        return idle;
    }

    /**
     * Turn number {@code turn}: the dispatchers' bindings, the lines this core spins on and its interrupts and
     * doorbells, then (every {@link #HOUSEKEEPING_TURNS} turns, or when they had nothing) the monitor's links, the
     * inbox and due timers. The caller
     * asks the idle strategy.
     *
     * @return the work done: frames delivered, upcalls run
     */
    int turn(int turn) {
        int work = driver.pollDispatcherBindings();
        // A core spinning on a shared line looks at it every turn, as a real spinning core would: on housekeeping
        // turns only, the change a broadcast shootdown waits for was seen up to four idle turns late.
        if (!spins.isEmpty()) {
            work += pollSpins();
        }
        // Interrupts and doorbells too, every turn: hardware takes an interrupt at the next instruction boundary, not
        // when the core next gets round to it. Looked at only on housekeeping turns, an IPI shootdown's target took
        // its interrupt up to four idle turns late, which is latency no kernel has. An empty queue is one read of a
        // line that only a sender writes.
        if (!signals.isEmpty()) {
            work += takeSignals();
        }
        if ((turn & (HOUSEKEEPING_TURNS - 1)) == 0 || (work == 0 && (turn & (IDLE_HOUSEKEEPING_TURNS - 1)) == 0)) {
            work += driver.pollMonitorBindings();
            work += housekeeping();
        }
        return work;
    }

    /** A hosted loop's turn number {@code turn}, with its idle strategy. */
    int hostedTurn(int turn) {
        int work = turn(turn);
        idle.idle(work, this);
        return work;
    }

    /** Runs the interrupts and doorbells queued for this core, in the order they were sent. */
    private int takeSignals() {
        int work = 0;
        for (Signal g; (g = signals.poll()) != null; ) {
            if (g.doorbell()) {
                driver.doorbell(g.from(), g.word());
            } else {
                driver.interrupt(g.from(), g.vector(), g.word());
            }
            work++;
        }
        return work;
    }

    private int housekeeping() {
        int work = 0;
        if (!inbox.isEmpty()) {
            for (Task t; (t = inbox.poll()) != null; ) {
                timers.add(t);
            }
        }
        if (!timers.isEmpty()) {
            long now = System.nanoTime();
            for (Task t; (t = timers.peek()) != null && t.due() - now <= 0; ) {
                timers.poll();
                driver.upcall(t.owner(), t.task());
                work++;
            }
        }
        return work;
    }

    /** How long the loop may park: until its next timer, at most {@link IdleStrategy#MAX_PARK_NANOS}. */
    long parkLimit() {
        if (!inbox.isEmpty() || !signals.isEmpty()) {
            return 0; // work arrived since the turn looked: do not sleep on it (the inbox is looked at every 4th idle)
        }
        Task next = timers.peek();
        return next == null ? IdleStrategy.MAX_PARK_NANOS : next.due() - System.nanoTime();
    }

    private static boolean pin(int cpu) {
        try {
            net.openhft.affinity.Affinity.setAffinity(cpu);
            return net.openhft.affinity.Affinity.getCpu() == cpu;
        } catch (Throwable e) { // no native library, not Linux, a container's mask: run unpinned
            return false;
        }
    }
}
