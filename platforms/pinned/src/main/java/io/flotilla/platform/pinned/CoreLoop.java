package io.flotilla.platform.pinned;

import io.flotilla.kernel.CpuDriver;
import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One core's thread on the pinned platform: drains its inbox (control messages and timers from any thread), runs
 * due timers, polls its driver's bindings, and backs off when idle (spin, then yield, then short parks: the host's
 * CPUs may be shared).
 */
final class CoreLoop implements Runnable {

    private static final int SPINS = 200;
    private static final int YIELDS = 100;
    private static final long MAX_PARK_NANOS = 50_000;

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
    private final PriorityQueue<Task> timers = new PriorityQueue<>();
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
    /** Cores spinning on shared lines ({@link OffHeapMemory#awaitChange}); touched by this core's thread only. */
    private final ArrayList<Spin> spins = new ArrayList<>();
    private final ArrayList<Spin> ready = new ArrayList<>();
    private Thread thread;
    volatile boolean pinned;

    private record Spin(long line, long seen, Dispatcher owner, Runnable then) {}

    CoreLoop(PinnedPlatform platform, CpuDriver driver, int cpu, SplittableRandom random) {
        this.platform = platform;
        this.driver = driver;
        this.cpu = cpu;
        this.random = random;
    }

    void submit(long due, Dispatcher owner, Runnable task) {
        inbox.add(new Task(due, seq.getAndIncrement(), owner, task));
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
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

    private int pollSpins() {
        if (spins.isEmpty()) {
            return 0;
        }
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
        thread = new Thread(this, "flotilla-core-" + driver.core());
        thread.setDaemon(true);
        thread.start();
    }

    void join() {
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
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
        int idle = 0;
        while (!platform.stopped()) {
            int work = 0;
            for (Task t; (t = inbox.poll()) != null; ) {
                timers.add(t);
            }
            long now = System.nanoTime();
            for (Task t; (t = timers.peek()) != null && t.due() - now <= 0; ) {
                timers.poll();
                driver.upcall(t.owner(), t.task());
                work++;
            }
            work += driver.pollBindings();
            work += pollSpins();
            if (work > 0) {
                idle = 0;
            } else if (++idle < SPINS) {
                Thread.onSpinWait();
            } else if (idle < SPINS + YIELDS) {
                Thread.yield();
            } else {
                Task next = timers.peek();
                long park = next == null ? MAX_PARK_NANOS : Math.min(MAX_PARK_NANOS, next.due() - System.nanoTime());
                if (park > 0) {
                    LockSupport.parkNanos(this, park);
                }
            }
        }
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
