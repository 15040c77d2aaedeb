package io.flotilla.platform.pinned;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many CPUs this host has, whatever the calling thread's affinity. {@code Runtime.availableProcessors()}
 * follows the calling thread's affinity mask, so a thread that some earlier work pinned (a probe, a benchmark, a
 * hosted core's loop) sees one CPU, and a platform booted from it would refuse a second core or pick the wrong idle
 * strategy (seen: an experiment run whose third series was refused with "this host has 1 CPUs"). Linux lists its
 * online CPUs in {@code /sys/devices/system/cpu/online} ("0-3,8-11"), and a container's cgroup the CPUs it may
 * use in {@code cpuset.cpus.effective} (preferred when present); the count is the larger of that list and
 * {@code availableProcessors()}, which is all there is elsewhere. Read once: CPUs do not come and go under
 * a run.
 */
final class HostCpus {

    private static final int COUNT = countNow();

    /** The count, computed afresh on the calling thread (tests; {@link #count} keeps the first one). */
    static int countNow() {
        return Math.max(Runtime.getRuntime().availableProcessors(), listed());
    }

    /** The CPUs the process's cgroup may use (a container's cpuset), else the host's online CPUs; 0 if neither. */
    private static int listed() {
        int cpuset = online(Path.of("/sys/fs/cgroup/cpuset.cpus.effective"));
        return cpuset > 0 ? cpuset : online(Path.of("/sys/devices/system/cpu/online"));
    }

    private HostCpus() {}

    static int count() {
        return COUNT;
    }

    /** The number of CPUs in a Linux CPU list file ({@link io.flotilla.machine.CpuList}); 0 if absent or unreadable. */
    static int online(Path list) {
        try {
            return io.flotilla.machine.CpuList.parse(Files.readString(list)).size();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
