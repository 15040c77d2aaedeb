package io.flotilla.kernel;

/**
 * One core's interrupt vectors: which of the core's dispatchers handles each, as an x86 core's interrupt descriptor
 * table maps a vector to a handler its own kernel installed. A sender names only the vector; what runs is whatever
 * the receiving core put here, so no code of one core reaches another.
 *
 * <p>Threads: written at boot (the registrations a dispatcher made before it was added, on the booting thread, before
 * any core runs) and afterwards only by the core's own handlers; read only by the core when an interrupt arrives.
 * On pinned the core's thread is started after boot, which orders the boot-time writes before its reads; so plain
 * arrays suffice.
 */
final class InterruptVectors {

    /** Vectors are 0..255: an x86 vector is one byte. */
    static final int COUNT = 256;

    private final int core;
    private final InterruptHandler[] handlers = new InterruptHandler[COUNT];
    private final Dispatcher[] owners = new Dispatcher[COUNT];

    InterruptVectors(int core) {
        this.core = core;
    }

    /** Refuses a vector no core has. */
    static void check(int vector) {
        if (vector < 0 || vector >= COUNT) {
            throw new IllegalArgumentException("interrupt vector " + vector + " is not one of 0.." + (COUNT - 1));
        }
    }

    /**
     * Makes {@code handler} of {@code owner} the handler of {@code vector} on this core.
     *
     * @throws IllegalStateException if another dispatcher of this core handles it, or this one already does
     */
    void register(int vector, Dispatcher owner, InterruptHandler handler) {
        check(vector);
        Dispatcher holder = owners[vector];
        if (holder != null) {
            throw new IllegalStateException("core " + core + ": interrupt vector " + vector + " is already handled by "
                    + holder.name() + "; " + owner.name() + " cannot register it"
                    + (holder == owner ? " twice" : " too"));
        }
        owners[vector] = owner;
        handlers[vector] = handler;
    }

    /** The handler of {@code vector}; null if none registered it. */
    InterruptHandler handler(int vector) {
        return handlers[vector];
    }

    /** The dispatcher whose handler {@code vector} runs; null if none. */
    Dispatcher owner(int vector) {
        return owners[vector];
    }
}
