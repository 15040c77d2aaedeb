package io.flotilla.kernel;

import io.flotilla.binding.RpcClock;

/**
 * The clock a CPU driver gives each binding it polls: the platform's time of the core, so rpc deadlines run on
 * virtual cycles on {@code sim} (deterministic) and on real time on {@code pinned}, in nanoseconds at the machine's
 * clock rate. A deadline that comes due schedules the binding's poller as a timer on the core, so a binding with
 * nothing arriving is still polled when its call times out.
 */
final class DriverClock implements RpcClock {

    private final Platform platform;
    private final int core;
    private final double clockGhz;
    private final Dispatcher owner;
    private final Runnable poller;

    DriverClock(Platform platform, int core, double clockGhz, Dispatcher owner, Runnable poller) {
        this.platform = platform;
        this.core = core;
        this.clockGhz = clockGhz;
        this.owner = owner;
        this.poller = poller;
    }

    @Override
    public long nanoTime() {
        return (long) Math.floor(platform.now(core) / clockGhz);
    }

    @Override
    public void wakeAt(long nanoTime) {
        // One cycle late rather than one early: the poll must find the deadline passed.
        long delay = (long) Math.ceil(Math.max(0, nanoTime - nanoTime()) * clockGhz) + 1;
        platform.schedule(core, delay, owner, poller);
    }
}
