package io.flotilla.experiments.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * How two CPUs of this machine are related, as far as Linux's /sys shows it: what a cache line's trip between them
 * costs depends on it (the transport numbers mean little without it). From the closest relation down: SMT siblings
 * of one core, a shared L2, a shared L3 (or other last-level cache), the same package (different dies or cache
 * groups), different packages. Under a hypervisor this is the topology the guest is shown, which may not be the
 * host's: the description says where it came from.
 */
final class CpuPair {

    private CpuPair() {}

    /** For example {@code "cpu 0 and cpu 1: shared L3 (32768K), separate L2; package 0 (from /sys)"}. */
    static String describe(int a, int b) {
        return describe(Path.of("/sys/devices/system/cpu"), a, b);
    }

    static String describe(Path sys, int a, int b) {
        String who = "cpu " + a + " and cpu " + b + ": ";
        if (a == b) {
            return who + "the same CPU";
        }
        Path ca = sys.resolve("cpu" + a);
        Path cb = sys.resolve("cpu" + b);
        if (!Files.isDirectory(ca.resolve("topology")) || !Files.isDirectory(cb.resolve("topology"))) {
            return who + "relation unknown (no " + sys + " topology)";
        }
        String packageA = read(ca.resolve("topology/physical_package_id"));
        String packageB = read(cb.resolve("topology/physical_package_id"));
        String where = packageA != null && packageA.equals(packageB) ? "package " + packageA
                : "packages " + packageA + " and " + packageB;
        BitSet siblings = cpuList(read(ca.resolve("topology/thread_siblings_list")));
        if (siblings != null && siblings.get(b)) {
            return who + "SMT siblings of one core; " + where + " (from /sys)";
        }
        // The smallest cache level both share (index order is L1d, L1i, L2, L3 on Linux; check the level anyway).
        int sharedLevel = Integer.MAX_VALUE;
        String sharedSize = "";
        boolean separateL2 = false;
        for (int index = 0; index < 8; index++) {
            Path cache = ca.resolve("cache/index" + index);
            String level = read(cache.resolve("level"));
            BitSet shared = cpuList(read(cache.resolve("shared_cpu_list")));
            String type = read(cache.resolve("type"));
            if (level == null || shared == null || "Instruction".equals(type)) {
                continue;
            }
            int l = Integer.parseInt(level);
            if (shared.get(b)) {
                if (l < sharedLevel) {
                    sharedLevel = l;
                    String size = read(cache.resolve("size"));
                    sharedSize = size == null ? "" : " (" + size + ")";
                }
            } else if (l == 2) {
                separateL2 = true;
            }
        }
        if (sharedLevel != Integer.MAX_VALUE) {
            return who + "shared L" + sharedLevel + sharedSize + (separateL2 && sharedLevel > 2 ? ", separate L2" : "")
                    + "; " + where + " (from /sys)";
        }
        if (packageA != null && packageA.equals(packageB)) {
            return who + "same package, no shared cache (different dies or cache groups); " + where + " (from /sys)";
        }
        return who + "different packages, no shared cache; " + where + " (from /sys)";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses Linux's CPU list format ("0-3,8,10-11"); null if absent or unreadable. */
    static BitSet cpuList(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        BitSet cpus = new BitSet();
        try {
            for (String part : text.split(",")) {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    cpus.set(Integer.parseInt(part.trim()));
                } else {
                    cpus.set(Integer.parseInt(part.substring(0, dash).trim()),
                            Integer.parseInt(part.substring(dash + 1).trim()) + 1);
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return cpus;
    }
}
