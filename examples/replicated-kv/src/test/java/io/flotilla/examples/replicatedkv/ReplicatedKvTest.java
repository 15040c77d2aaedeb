package io.flotilla.examples.replicatedkv;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The replicated map on all 32 simulated cores of the 8x4 AMD and on this host's pinned cores. */
class ReplicatedKvTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    /** Writers on every package of the 8x4 AMD, the sequencer's own core included. */
    private static final List<Integer> WRITERS = List.of(0, 5, 13, 22, 31);

    @Test
    @Timeout(30)
    void concurrentWritersLeaveEveryReplicaIdenticalAndTheRunIsDeterministic() {
        Machine amd = Machines.load("amd-8x4");
        var first = ReplicatedKv.run(amd, new SimPlatform(11), 32, WRITERS, 100, QUIET);
        var again = ReplicatedKv.run(amd, new SimPlatform(11), 32, WRITERS, 100, QUIET);

        assertThat(first.errors()).isEmpty();
        assertThat(first.committed()).isEqualTo(500);
        assertThat(first.replicas()).hasSize(32);
        assertThat(first.allEqual()).isTrue();
        assertThat(first.replicas().get(0)).hasSize(Replica.KEYS);
        assertThat(first.ok()).isTrue();
        // A commit is at least a put to core 0, an apply to the farthest replica and its ack, and the response.
        assertThat(first.meanCommitCycles()).isGreaterThan(4 * 538L);
        assertThat(first.traceHash()).isNotNull().isEqualTo(again.traceHash());
        assertThat(again.replicas()).isEqualTo(first.replicas());
        assertThat(again.meanCommitCycles()).isEqualTo(first.meanCommitCycles());
    }

    @Test
    @Timeout(30)
    void theLastWriteOfEachKeyWinsInTheSameOrderEverywhereOnASubsetOfCores() {
        Machine amd = Machines.load("amd-8x4");
        var r = ReplicatedKv.run(amd, new SimPlatform(3), 4, List.of(1, 2, 3), 50, QUIET);

        assertThat(r.ok()).isTrue();
        assertThat(r.replicas()).hasSize(4).allSatisfy(m -> assertThat(m).isEqualTo(r.replicas().get(0)));
        assertThat(r.replicas().get(0).values()).allSatisfy(v -> assertThat(v).matches("core-[123]#\\d+"));
    }

    @Test
    @Timeout(60)
    void theSameDispatchersRunOnPinnedHostCores() {
        Machine host = Machines.load("host", warning -> {});
        int cores = Math.min(2, host.coreCount());
        List<Integer> writers = cores > 1 ? List.of(0, 1) : List.of(0);
        var out = new ByteArrayOutputStream();
        var r = ReplicatedKv.run(host, new PinnedPlatform(), cores, writers, 200,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(r.errors()).isEmpty();
        assertThat(r.committed()).isEqualTo(200 * writers.size());
        assertThat(r.allEqual()).isTrue();
        assertThat(r.traceHash()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("replicas identical: true");
    }
}
