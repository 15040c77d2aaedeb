package io.flotilla.platform.pinned;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCpusTest {

    @Test
    void linuxCpuListsAreCounted() {
        assertThat(io.flotilla.machine.CpuList.parse("0")).hasSize(1);
        assertThat(io.flotilla.machine.CpuList.parse("0-1")).hasSize(2);
        assertThat(io.flotilla.machine.CpuList.parse("0-3,8-11")).hasSize(8);
        assertThat(io.flotilla.machine.CpuList.parse("0,2,4-5")).hasSize(4);
    }

    @Test
    void anUnreadableOrMalformedListCountsNothing(@TempDir Path dir) throws Exception {
        assertThat(HostCpus.online(dir.resolve("absent"))).isZero();
        Path bad = Files.writeString(dir.resolve("bad"), "zero-one\n");
        assertThat(HostCpus.online(bad)).isZero();
    }

    @Test
    void aThreadPinnedToOneCpuStillCountsTheHost() throws Exception {
        int before = HostCpus.countNow();
        assertThat(before).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        boolean[] pinned = new boolean[1];
        int[] seen = new int[1];
        Thread t = new Thread(() -> {
            try {
                net.openhft.affinity.Affinity.setAffinity(0);
                pinned[0] = Runtime.getRuntime().availableProcessors() == 1;
            } catch (RuntimeException | LinkageError e) {
                // no affinity here: the count must still be the host's
            }
            seen[0] = HostCpus.countNow();
        });
        t.start();
        t.join();
        assertThat(seen[0]).isEqualTo(before);
        if (pinned[0] && before > 1) {
            // the case that matters: availableProcessors() alone would have said 1 on that thread
            assertThat(seen[0]).isGreaterThan(1);
        }
    }
}
