package io.flotilla.kernel;

import io.flotilla.machine.Machine;
import java.util.Arrays;

/**
 * What the runtime reports as it runs, for traces and metrics. Every time is in cycles of the machine's clock:
 * virtual on sim, {@code System.nanoTime} times the clock on pinned.
 *
 * <p>Every method has an empty default and {@link #NONE} is the default tracer: the kernel compares its tracer with
 * {@code NONE} once per event and skips even reading the clock when tracing is off, so an untraced run pays one
 * predictable branch. Tracers only observe: nothing they do may feed back into the run (the sim's trace hash is the
 * same with and without one).
 *
 * <p>Threads: on sim every call comes from the simulating thread; on pinned, each core's calls come from that core's
 * thread, so an implementation shared by cores must synchronise.
 */
public interface Tracer {

    /** Traces nothing. */
    Tracer NONE = new Tracer() {};

    /** Called once at boot, before anything runs: the machine and how many of its cores were booted. */
    default void boot(Machine machine, int cores) {}

    /**
     * An upcall ran on {@code core} from {@code start} to {@code end}; {@code owner} is null for the monitor.
     * {@code what} is {@code "upcall"} (a timer, a control message, a continuation) or {@code "receive"} (a poll of
     * a binding that handed frames to their handlers).
     */
    default void slice(int core, Dispatcher owner, String what, long start, long end) {}

    /**
     * The first frame of a message left {@code from} for {@code to} at {@code time}; {@code flow} identifies the
     * message until {@link #received}.
     */
    default void sent(int from, int to, long flow, long time) {}

    /** A frame left {@code core} (every frame, for byte counts); {@code last} marks the last frame of a message. */
    default void frameSent(int core, boolean last) {}

    /**
     * The last frame of message {@code flow} is handed to its handler on {@code core} at {@code time}; its first
     * frame was sent at {@code sentAt}.
     */
    default void received(int core, long flow, long sentAt, long time) {}

    /** A frame was handed to a handler on {@code core}. */
    default void frameReceived(int core) {}

    /**
     * What hears the frames of the kernel's own channels (a monitor's links to other monitors): this tracer, or
     * {@link #NONE} for one that measures only the workload (a {@link Metrics}). A trace shows monitor messages;
     * a protocol's message counts and latencies leave them out. Platforms ask it once per kernel channel.
     */
    default Tracer forKernelTraffic() {
        return this;
    }

    /**
     * Whether this tracer makes do with frame and message counts and the latencies of a sample of the messages, and
     * draws no {@link #slice slices} (a {@link Metrics}): then the CPU drivers do not time their upcalls for it, and
     * a real-time platform need not read the clock for every message (pinned times one in 64; sim reports every
     * message regardless, its clock is free). A trace, which draws every message and slice, says false.
     */
    default boolean sampled() {
        return false;
    }

    /** Sends every event to each of {@code tracers}, in order; {@code NONE}s are dropped. */
    static Tracer all(Tracer... tracers) {
        Tracer[] live = Arrays.stream(tracers).filter(t -> t != NONE).toArray(Tracer[]::new);
        if (live.length == 0) {
            return NONE;
        }
        if (live.length == 1) {
            return live[0];
        }
        boolean sampled = Arrays.stream(live).allMatch(Tracer::sampled);
        return new Tracer() {
            @Override
            public boolean sampled() {
                return sampled;
            }

            @Override
            public Tracer forKernelTraffic() {
                return all(Arrays.stream(live).map(Tracer::forKernelTraffic).toArray(Tracer[]::new));
            }

            @Override
            public void boot(Machine machine, int cores) {
                for (Tracer t : live) {
                    t.boot(machine, cores);
                }
            }

            @Override
            public void slice(int core, Dispatcher owner, String what, long start, long end) {
                for (Tracer t : live) {
                    t.slice(core, owner, what, start, end);
                }
            }

            @Override
            public void sent(int from, int to, long flow, long time) {
                for (Tracer t : live) {
                    t.sent(from, to, flow, time);
                }
            }

            @Override
            public void frameSent(int core, boolean last) {
                for (Tracer t : live) {
                    t.frameSent(core, last);
                }
            }

            @Override
            public void received(int core, long flow, long sentAt, long time) {
                for (Tracer t : live) {
                    t.received(core, flow, sentAt, time);
                }
            }

            @Override
            public void frameReceived(int core) {
                for (Tracer t : live) {
                    t.frameReceived(core);
                }
            }
        };
    }
}
