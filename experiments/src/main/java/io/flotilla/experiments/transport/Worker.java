package io.flotilla.experiments.transport;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's second thread, pinned once and reused for every phase, so thread start-up and pinning never fall
 * inside a measurement. Hands tasks over through volatile fields; parks between tasks.
 */
final class Worker extends Thread {

    private final int cpu;
    private volatile Runnable task;
    private volatile long completed;
    private volatile boolean pinned;
    private volatile boolean started;
    private volatile boolean stop;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Worker(int cpu) {
        super("transport-bench-worker");
        this.cpu = cpu;
        setDaemon(true);
    }

    @Override
    public void run() {
        pinned = Pinning.pin(cpu);
        started = true;
        long done = 0;
        while (!stop) {
            Runnable next = task;
            if (next == null) {
                // Parked until submit or shutdown unparks it (a permit given before the park is kept, so no wake-up
                // is lost): an idle worker takes no CPU time from the lanes that are measuring, which matters when
                // a dozen contestants' JVMs wait beside the one at work (ForkedLane).
                LockSupport.park(this);
                continue;
            }
            task = null;
            try {
                next.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                Contestant.aborted = t;
            }
            completed = ++done;
        }
    }

    /** Starts the thread and waits until it has (tried to) pin itself; returns whether it is pinned. */
    boolean startPinned() {
        start();
        while (!started) {
            Thread.onSpinWait();
        }
        return pinned;
    }

    /** Runs {@code work} on the worker; {@link #await} waits for it. */
    long submit(Runnable work) {
        long ticket = completed + 1;
        task = work;
        LockSupport.unpark(this);
        return ticket;
    }

    void await(long ticket) {
        while (completed < ticket) {
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("worker failed", t);
            }
            Thread.onSpinWait();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("worker failed", t);
        }
    }

    void shutdown() {
        stop = true;
        LockSupport.unpark(this);
    }
}
