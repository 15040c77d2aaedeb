package io.flotilla.transport.urpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** urpc's per-pair choice of flow control reads the cache topology from a /sys-shaped tree. */
class CacheTopologyTest {

    private static void cache(Path cpus, int cpu, int index, int level, String type, String shared) throws IOException {
        Path dir = Files.createDirectories(cpus.resolve("cpu" + cpu + "/cache/index" + index));
        Files.writeString(dir.resolve("level"), level + "\n");
        Files.writeString(dir.resolve("type"), type + "\n");
        Files.writeString(dir.resolve("shared_cpu_list"), shared + "\n");
    }

    @Test
    void twoCoresOfOneL3ShareACacheAndTwoDiesDoNot(@TempDir Path cpus) throws IOException {
        // cpu 0: private L1 and L2; an L3 shared with cpus 1-3 (one die), not with 4-7 (another die)
        cache(cpus, 0, 0, 1, "Data", "0");
        cache(cpus, 0, 1, 1, "Instruction", "0-7"); // an instruction cache never counts
        cache(cpus, 0, 2, 2, "Unified", "0");
        cache(cpus, 0, 3, 3, "Unified", "0-3");
        assertThat(CacheTopology.sharesCache(cpus, 0, 2)).isTrue();
        assertThat(CacheTopology.sharesCache(cpus, 0, 5)).isFalse();
        assertThat(CacheTopology.sharesCache(cpus, 0, 0)).isTrue();
        assertThat(CacheTopology.sharesCache(cpus, 9, 0)).as("no such CPU: unknown").isNull();
    }

    @Test
    void oneCacheForAllNeedsOneL2OrL3HoldingEveryOnlineCpu(@TempDir Path cpus) throws IOException {
        assertThat(CacheTopology.oneCacheForAll(cpus)).as("no online list: unknown").isNull();
        Files.writeString(cpus.resolve("online"), "0-7\n");
        assertThat(CacheTopology.oneCacheForAll(cpus)).as("no caches listed: unknown").isNull();
        cache(cpus, 0, 0, 1, "Data", "0");
        cache(cpus, 0, 1, 1, "Instruction", "0-7"); // an instruction cache never counts
        cache(cpus, 0, 2, 2, "Unified", "0");
        cache(cpus, 0, 3, 3, "Unified", "0-3");
        assertThat(CacheTopology.oneCacheForAll(cpus)).as("two dies").isFalse();
        cache(cpus, 0, 3, 3, "Unified", "0-7");
        assertThat(CacheTopology.oneCacheForAll(cpus)).as("one L3 for all eight").isTrue();
        Files.writeString(cpus.resolve("online"), "0-7,9\n");
        assertThat(CacheTopology.oneCacheForAll(cpus)).as("cpu 9 is online and outside the L3").isFalse();
    }

    @Test
    void readsLinuxCpuLists() {
        assertThat(CacheTopology.covers("0-3,8,10-11", "0-1,8")).isTrue();
        assertThat(CacheTopology.covers("0-3,8,10-11", "2-4")).isFalse();
        assertThat(CacheTopology.covers("0-3", "garbage")).isFalse();
        assertThat(CacheTopology.contains("0-3,8,10-11", 2)).isTrue();
        assertThat(CacheTopology.contains("0-3,8,10-11", 8)).isTrue();
        assertThat(CacheTopology.contains("0-3,8,10-11", 11)).isTrue();
        assertThat(CacheTopology.contains("0-3,8,10-11", 9)).isFalse();
        assertThat(CacheTopology.contains("garbage", 0)).isFalse();
    }
}
