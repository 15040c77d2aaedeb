package io.flotilla.binding;

/**
 * The time rpc deadlines are measured in, and the way a binding asks its event loop to poll it again when one is
 * due: the small service-provider interface between a {@link Binding} and whatever drives it. A binding cannot see
 * the kernel, so the CPU driver implements this on virtual time on {@code sim} (deterministic) and on real time on
 * {@code pinned}; {@link EventLoop} implements it for plain threads; {@link #SYSTEM}, the default, is real time
 * for code that polls bindings itself.
 */
public interface RpcClock {

    /** @return now, in nanoseconds from an arbitrary origin (only differences count) */
    long nanoTime();

    /**
     * Asks for the binding to be polled no later than {@code nanoTime} (a value of {@link #nanoTime()}): a deadline
     * is due then. A loop that polls all the time may ignore it.
     *
     * @param nanoTime when
     */
    void wakeAt(long nanoTime);

    /** Real time ({@link System#nanoTime()}), for bindings whose owner polls them continuously. */
    RpcClock SYSTEM = new RpcClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void wakeAt(long nanoTime) {
            // polled continuously: the next poll sees the deadline
        }
    };
}
