package io.flotilla.platform.pinned;

import java.util.Locale;

/**
 * What a core's loop does on a turn that found no work, modelled on Agrona's {@code IdleStrategy}: {@link #idle}
 * after every turn with the work it did, so a strategy can back off step by step and start over as soon as work
 * comes. One strategy per core loop; each is used by that core's thread only.
 *
 * <ul>
 *   <li>{@link Kind#SPIN}: poll again at once for {@value #HOT_TURNS} idle turns after a turn with work, then
 *       {@link Thread#onSpinWait()} before each turn. The lowest latency (a frame is seen within one turn); the
 *       core's CPU is always busy, so only for a pinned core on a CPU of its own. Why the window without a pause:
 *       on the AMD EPYC (Zen 3) this project measures on, {@code PAUSE} takes about 25 ns (65 cycles), longer
 *       than an idle turn's polling (about 15 ns), so a turn that pauses is 40 ns and a frame arriving in it waits
 *       20 ns on average before it is seen. A core that just had work most likely gets more within a round trip
 *       (a reply, the next request), so for about a microsecond after work it polls without pausing; the runtime
 *       contestant's round trip went from 270 to 240-250 ns (docs/benchmarks.md). After that window it pauses as
 *       before, which keeps a long wait from taking the issue slots of an SMT sibling.
 *   <li>{@link Kind#YIELD}: {@link Thread#yield()}: gives the CPU to another runnable thread, if any; otherwise
 *       as busy as spinning.
 *   <li>{@link Kind#BACKOFF}: spin {@value #SPINS} turns, yield {@value #YIELDS} turns, then park for up to
 *       {@value #MAX_PARK_NANOS} ns at a time (a task for the core unparks it at once; a frame waits for the park
 *       to end). For hosts whose CPUs are shared.
 * </ul>
 */
public abstract sealed class IdleStrategy {

    static final int SPINS = 200;
    /** Idle turns right after work that {@link Kind#SPIN} polls again at once, without a pause. */
    static final int HOT_TURNS = 64;
    static final int YIELDS = 100;
    static final long MAX_PARK_NANOS = 50_000;

    /** The strategies a run can name ({@code --idle=spin|yield|backoff}); {@link #AUTO} lets the platform pick. */
    public enum Kind {
        /** Busy-spin if the core's thread is pinned and the host has a CPU to spare; back off otherwise. */
        AUTO,
        SPIN,
        YIELD,
        BACKOFF;

        /** {@code spin}, {@code yield}, {@code backoff} or {@code auto}, any case. */
        public static Kind of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("no idle strategy named '" + name
                        + "' (known: auto, spin, yield, backoff)");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The strategy {@code kind} stands for. {@link Kind#AUTO} is {@link Kind#SPIN} when the core's thread is pinned
     * and the platform runs fewer cores than the host has CPUs (one is left for the JVM's other threads, the
     * compiler and the collector, and for the operating system), {@link Kind#BACKOFF} otherwise.
     */
    static IdleStrategy of(Kind kind, boolean pinned, int localCores, int hostCpus) {
        return switch (kind) {
            case SPIN -> new Spin();
            case YIELD -> new Yield();
            case BACKOFF -> new Backoff();
            case AUTO -> pinned && spareCpu(localCores, hostCpus) ? new Spin() : new Backoff();
        };
    }

    /**
     * Whether a host of {@code hostCpus} CPUs running {@code localCores} cores has one to spare for the JVM's other
     * threads (what {@link Kind#AUTO} asks before it spins).
     */
    static boolean spareCpu(int localCores, int hostCpus) {
        return localCores < hostCpus;
    }

    /** After a turn of {@code loop} that did {@code work} units of work. */
    abstract void idle(int work, CoreLoop loop);

    abstract Kind kind();

    static final class Spin extends IdleStrategy {
        /** Idle turns since the last turn with work; the loop's own thread only. */
        private int idleTurns;

        @Override
        void idle(int work, CoreLoop loop) {
            if (pauses(work)) {
                Thread.onSpinWait();
            }
        }

        /** Whether the turn that did {@code work} is followed by a pause: only idle turns past the hot window. */
        boolean pauses(int work) {
            if (work > 0) {
                idleTurns = 0;
                return false;
            }
            return ++idleTurns > HOT_TURNS;
        }

        @Override
        Kind kind() {
            return Kind.SPIN;
        }
    }

    static final class Yield extends IdleStrategy {
        @Override
        void idle(int work, CoreLoop loop) {
            if (work == 0) {
                Thread.yield();
            }
        }

        @Override
        Kind kind() {
            return Kind.YIELD;
        }
    }

    static final class Backoff extends IdleStrategy {
        private int idleTurns;

        @Override
        void idle(int work, CoreLoop loop) {
            if (work > 0) {
                idleTurns = 0;
            } else if (++idleTurns < SPINS) {
                Thread.onSpinWait();
            } else if (idleTurns < SPINS + YIELDS) {
                Thread.yield();
            } else {
                loop.park(MAX_PARK_NANOS); // not past the loop's next timer
            }
        }

        @Override
        Kind kind() {
            return Kind.BACKOFF;
        }
    }
}
