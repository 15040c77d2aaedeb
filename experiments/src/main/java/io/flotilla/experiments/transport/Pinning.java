package io.flotilla.experiments.transport;

/** Pins the calling thread to a CPU with OpenHFT affinity; falls back to an unpinned thread if that fails. */
final class Pinning {

    private Pinning() {}

    /** @return true if the thread is now pinned to {@code cpu} */
    static boolean pin(int cpu) {
        if (cpu < 0 || cpu >= Runtime.getRuntime().availableProcessors()) {
            return false;
        }
        try {
            net.openhft.affinity.Affinity.setAffinity(cpu);
            return net.openhft.affinity.Affinity.getCpu() == cpu;
        } catch (Throwable e) { // no native library, not Linux, forbidden by a container: measure unpinned
            return false;
        }
    }
}
