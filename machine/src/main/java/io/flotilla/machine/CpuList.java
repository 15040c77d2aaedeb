package io.flotilla.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Linux's CPU list format, as in {@code /sys/devices/system/cpu/online}, a cache's {@code shared_cpu_list} or a
 * cgroup's {@code cpuset.cpus.effective}: {@code 0-3,8,10-11}. One parser for host discovery, the SKB's probe and
 * the pinned platform.
 */
public final class CpuList {

    private CpuList() {}

    /**
     * The CPUs listed, ascending, each once. A part that is not a number or a range is skipped (the kernel writes
     * these files; a malformed one yields what can be read of it), and one range gives at most 65,536 CPUs, so a
     * hostile or corrupt file cannot make the list unbounded.
     */
    public static List<Integer> parse(String text) {
        Set<Integer> out = new TreeSet<>();
        for (String part : text.trim().split(",")) {
            String[] ends = part.trim().split("-");
            try {
                int from = Integer.parseInt(ends[0].trim());
                int to = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : from;
                for (int i = from; i <= to && i - from < 1 << 16; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                // skip
            }
        }
        return new ArrayList<>(out);
    }
}
