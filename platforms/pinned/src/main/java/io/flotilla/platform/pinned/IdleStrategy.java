package io.flotilla.platform.pinned;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What a core's loop does on a turn that found no work, modelled on Agrona's {@code IdleStrategy}: {@link #idle}
 * after every turn with the work it did, so a strategy can back off step by step and start over as soon as work
 * comes. One strategy per core loop; each is used by that core's thread only.
 *
 * <ul>
 *   <li>{@link Kind#SPIN}: {@link Thread#onSpinWait()} and poll again. The lowest latency (a frame is seen within
 *       one turn); the core's CPU is always busy, so only for a pinned core on a CPU of its own.
 *   <li>{@link Kind#YIELD}: {@link Thread#yield()}: gives the CPU to another runnable thread, if any; otherwise
 *       as busy as spinning.
 *   <li>{@link Kind#BACKOFF}: spin {@value #SPINS} turns, yield {@value #YIELDS} turns, then park for up to
 *       {@value #MAX_PARK_NANOS} ns at a time (a task for the core unparks it at once; a frame waits for the park
 *       to end). For hosts whose CPUs are shared.
 * </ul>
 */
public abstract sealed class IdleStrategy {

    static final int SPINS = 200;
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
            case AUTO -> pinned && localCores < hostCpus ? new Spin() : new Backoff();
        };
    }

    /** After a turn of {@code loop} that did {@code work} units of work. */
    abstract void idle(int work, CoreLoop loop);

    abstract Kind kind();

    static final class Spin extends IdleStrategy {
        @Override
        void idle(int work, CoreLoop loop) {
            if (work == 0) {
                Thread.onSpinWait();
            }
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
                long park = Math.min(MAX_PARK_NANOS, loop.parkLimit()); // not past the loop's next timer
                if (park > 0) {
                    LockSupport.parkNanos(this, park);
                }
            }
        }

        @Override
        Kind kind() {
            return Kind.BACKOFF;
        }
    }
}
