package io.flotilla.binding;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A managed event loop for plain-thread programs: one thread that polls its bindings and runs their continuations,
 * so that a program never writes a poll loop. Bindings, stubs and their continuations belong to this thread; other
 * threads hand it work with {@link #execute} (make a call, {@link #swap} a binding, close one), and block on
 * results through a generated blocking stub, which refuses to run on a loop thread, where waiting would deadlock.
 *
 * <p>An exception a handler throws out of a binding's poll goes to that binding's error handler; the loop and its
 * other bindings go on. Deadlines run on real time. When a turn finds no work the thread spins a little, then
 * parks for at most {@link #IDLE_PARK_MICROS} µs, or until {@link #execute} wakes it.
 */
public final class EventLoop implements Executor, AutoCloseable {

    /** Longest idle sleep between turns; bounds the latency a parked loop adds to an arriving frame. */
    public static final long IDLE_PARK_MICROS = 50;
    private static final int SPINS_BEFORE_PARKING = 200;
    private static final int POLL_BUDGET = 64;
    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();

    private final ArrayList<Binding> bindings = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    private EventLoop(String name) {
        this.thread = new Thread(this::loop, Objects.requireNonNull(name, "name"));
        this.thread.setDaemon(true);
    }

    /**
     * Starts a loop on a new (daemon) thread.
     *
     * @param name the thread's name
     * @return the running loop
     */
    public static EventLoop start(String name) {
        EventLoop loop = new EventLoop(name);
        loop.thread.start();
        return loop;
    }

    /** @return the loop whose thread this is, or null on any other thread */
    public static EventLoop current() {
        return CURRENT.get();
    }

    /**
     * Fails at once on an event-loop thread: what blocking stubs call before they wait, since a loop waiting for a
     * response only it could deliver would wait forever.
     *
     * @param what the blocking operation, for the message
     * @throws IllegalStateException on a loop thread
     */
    public static void checkMayBlock(String what) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException(what + " would block event-loop thread '" + Thread.currentThread().getName()
                    + "', which must deliver the response itself: use the callback or future stub on a loop thread");
        }
    }

    /**
     * Runs {@code task} on this loop's thread, after the work already handed to it. From the loop's own thread
     * the task still waits for the next turn. Any thread.
     *
     * @param task what to run
     * @throws IllegalStateException once the loop is closed
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!running) {
            throw new IllegalStateException("event loop '" + thread.getName() + "' is closed");
        }
        tasks.add(task);
        LockSupport.unpark(thread);
    }

    /**
     * Hands {@code binding} to this loop, which polls it from now on and measures its deadlines in real time. Any
     * thread; the binding must not be used by another thread from now on.
     *
     * @param binding the binding
     */
    public void add(Binding binding) {
        Objects.requireNonNull(binding, "binding");
        execute(() -> {
            binding.setClock(RpcClock.SYSTEM);
            bindings.add(binding);
        });
    }

    /**
     * Moves {@code binding} onto {@code next} on this loop's thread ({@link Binding#swap}): the hand-made mailbox a
     * plain-thread program would otherwise need. Any thread.
     *
     * @param binding a binding of this loop
     * @param next its end of the new channel
     */
    public void swap(Binding binding, io.flotilla.channel.Channel next) {
        execute(() -> binding.swap(next));
    }

    /**
     * Closes {@code binding} on this loop's thread and stops polling it. Any thread.
     *
     * @param binding a binding of this loop
     */
    public void remove(Binding binding) {
        execute(() -> {
            bindings.remove(binding);
            binding.close();
        });
    }

    /** @return whether the calling thread is this loop's */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Closes every binding of this loop (their pending calls fail with {@link RpcStatus#CLOSED}) and stops the
     * thread, waiting up to a second for it. Any thread but the loop's own.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(thread);
        if (!inLoop()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        CURRENT.set(this);
        int idle = 0;
        while (running) {
            int work = runTasks();
            for (int i = 0; i < bindings.size(); i++) {
                work += pollOne(bindings.get(i));
            }
            if (work > 0) {
                idle = 0;
            } else if (++idle > SPINS_BEFORE_PARKING) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(IDLE_PARK_MICROS));
            } else {
                Thread.onSpinWait();
            }
        }
        runTasks();
        for (Binding b : bindings) {
            b.close();
        }
        bindings.clear();
        CURRENT.remove();
    }

    private int runTasks() {
        int n = 0;
        for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
            n++;
            try {
                r.run();
            } catch (RuntimeException e) {
                System.getLogger(EventLoop.class.getName()).log(System.Logger.Level.WARNING,
                        "task on event loop '" + thread.getName() + "' failed: " + e);
            }
        }
        return n;
    }

    private static int pollOne(Binding b) {
        try {
            return b.poll(POLL_BUDGET);
        } catch (RuntimeException e) {
            b.fail(e instanceof BindingException be ? be : new BindingException("a handler threw: " + e, e));
            return 1;
        }
    }
}
