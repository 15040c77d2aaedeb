package io.flotilla.transport.urpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Whether two CPUs of this machine share a data cache (an L2 or an L3), as Linux's /sys shows it: the fact urpc's
 * hand-back choice depends on ({@link UrpcTransport#handBackFor}). Read at bind time, never on the hot path. Under a
 * hypervisor this is the topology the guest is shown.
 */
final class CacheTopology {

    private static final Path CPUS = Path.of("/sys/devices/system/cpu");

    private CacheTopology() {}

    /**
     * True if {@code a} and {@code b} share an L2 or L3 (or are the same CPU), false if /sys lists a's caches and
     * none of them holds b, null if /sys does not say (another OS, a container without /sys).
     */
    static Boolean sharesCache(int a, int b) {
        return sharesCache(CPUS, a, b);
    }

    static Boolean sharesCache(Path cpus, int a, int b) {
        if (a == b) {
            return Boolean.TRUE;
        }
        return anyDataCache(cpus, a, shared -> contains(shared, b));
    }

    /**
     * True if one L2 or L3 holds every online CPU of this machine, so that any two threads share it wherever they
     * run; false if /sys lists the first CPU's caches and none holds them all; null if /sys does not say.
     */
    static Boolean oneCacheForAll() {
        return oneCacheForAll(CPUS);
    }

    static Boolean oneCacheForAll(Path cpus) {
        String online = read(cpus.resolve("online"));
        int[] all = online == null ? null : list(online);
        if (all == null || all.length == 0) {
            return null;
        }
        return anyDataCache(cpus, all[0], shared -> covers(shared, all));
    }

    /**
     * Whether one of {@code cpu}'s data caches of level 2 or more has a {@code shared_cpu_list} that {@code test}
     * accepts: null if /sys lists none of its caches.
     */
    private static Boolean anyDataCache(Path cpus, int cpu, Predicate<String> test) {
        Path caches = cpus.resolve("cpu" + cpu).resolve("cache");
        if (!Files.isDirectory(caches)) {
            return null;
        }
        boolean listed = false;
        for (int index = 0; index < 16; index++) {
            Path cache = caches.resolve("index" + index);
            String level = read(cache.resolve("level"));
            String shared = read(cache.resolve("shared_cpu_list"));
            if (level == null || shared == null) {
                continue;
            }
            listed = true;
            if (!"Instruction".equals(read(cache.resolve("type"))) && Integer.parseInt(level) >= 2
                    && test.test(shared)) {
                return Boolean.TRUE;
            }
        }
        return listed ? Boolean.FALSE : null;
    }

    /** Whether Linux's CPU list ("0-3,8,10-11") contains {@code cpu}; false for text it cannot parse. */
    static boolean contains(String list, int cpu) {
        int[] cpus = list(list);
        return cpus != null && Arrays.stream(cpus).anyMatch(c -> c == cpu);
    }

    /** Whether every CPU in Linux's list {@code cpus} is in {@code list}; false for text it cannot parse. */
    static boolean covers(String list, String cpus) {
        int[] wanted = list(cpus);
        return wanted != null && covers(list, wanted);
    }

    /** Whether every one of {@code cpus} is in Linux's list {@code list}, read once; false if it cannot be read. */
    private static boolean covers(String list, int[] cpus) {
        int[] have = list(list);
        if (have == null) {
            return false;
        }
        BitSet in = new BitSet();
        Arrays.stream(have).forEach(in::set);
        return Arrays.stream(cpus).allMatch(in::get);
    }

    /** The CPUs of Linux's list ("0-3,8,10-11"), or null for text that is not one. Bind time only. */
    private static int[] list(String text) {
        IntStream.Builder cpus = IntStream.builder();
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                for (int cpu = from; cpu <= to; cpu++) {
                    cpus.add(cpu);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return cpus.build().toArray();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
