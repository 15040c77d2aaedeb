package io.flotilla.examples.replicatedkv;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.examples.replicatedkv.ReplicatedKv.Protocol;
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

/**
 * The replicated map on all 32 simulated cores of the 8x4 AMD and on this host's pinned cores, under both write
 * protocols: two-phase commit through the kernel's agreement monitors (the default) and the sequencer.
 */
class ReplicatedKvTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    /** Writers on every package of the 8x4 AMD, the sequencer's own core included. */
    private static final List<Integer> WRITERS = List.of(0, 5, 13, 22, 31);

    @Test
    @Timeout(30)
    void sequencedWritersLeaveEveryReplicaIdenticalAndTheRunIsDeterministic() {
        Machine amd = Machines.load("amd-8x4");
        var first = ReplicatedKv.run(amd, new SimPlatform(11), Protocol.SEQUENCER, 32, WRITERS, 100, QUIET);
        var again = ReplicatedKv.run(amd, new SimPlatform(11), Protocol.SEQUENCER, 32, WRITERS, 100, QUIET);

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
    void sequencedWritesWinInTheSameOrderEverywhereOnASubsetOfCores() {
        Machine amd = Machines.load("amd-8x4");
        var r = ReplicatedKv.run(amd, new SimPlatform(3), Protocol.SEQUENCER, 4, List.of(1, 2, 3), 50, QUIET);

        assertThat(r.ok()).isTrue();
        assertThat(r.replicas()).hasSize(4).allSatisfy(m -> assertThat(m).isEqualTo(r.replicas().get(0)));
        assertThat(r.replicas().get(0).values()).allSatisfy(v -> assertThat(v).matches("core-[123]#\\d+"));
    }

    @Test
    @Timeout(60)
    void theSequencerRunsOnPinnedHostCores() {
        Machine host = Machines.load("host", warning -> {});
        int cores = Math.min(2, host.coreCount());
        List<Integer> writers = cores > 1 ? List.of(0, 1) : List.of(0);
        var out = new ByteArrayOutputStream();
        var r = ReplicatedKv.run(host, new PinnedPlatform(), Protocol.SEQUENCER, cores, writers, 200,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(r.errors()).isEmpty();
        assertThat(r.committed()).isEqualTo(200 * writers.size());
        assertThat(r.allEqual()).isTrue();
        assertThat(r.traceHash()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("replicas identical: true");
    }

    @Test
    @Timeout(60)
    void twoPhaseWritersContendingOnFewKeysLeaveEveryReplicaIdenticalAndTheRunIsDeterministic() {
        Machine amd = Machines.load("amd-8x4");
        var first = ReplicatedKv.run(amd, new SimPlatform(11), 32, WRITERS, 100, QUIET);
        var again = ReplicatedKv.run(amd, new SimPlatform(11), Protocol.TWO_PHASE, 32, WRITERS, 100, QUIET);
        var other = ReplicatedKv.run(amd, new SimPlatform(12), 32, WRITERS, 100, QUIET);

        assertThat(first.protocol()).isEqualTo(Protocol.TWO_PHASE); // the default
        assertThat(first.errors()).isEmpty();
        assertThat(first.committed()).isEqualTo(500);
        // Every replica applied each of the 500 puts once (a second commit of a value is reported as an error).
        assertThat(first.appliedPerReplica()).hasSize(32).containsOnly(500L);
        assertThat(first.replicas()).hasSize(32);
        assertThat(first.replicas().get(0)).hasSize(Replica.KEYS);
        assertThat(first.allEqual()).isTrue();
        assertThat(first.ok()).isTrue();
        // Twenty puts in flight over sixteen keys collide: some were refused on a locked key and retried.
        assertThat(first.aborts()).isPositive();
        // Two rounds of the tree to the farthest package and back, at least.
        assertThat(first.meanCommitCycles()).isGreaterThan(4 * 538L);
        assertThat(first.traceHash()).isNotNull().isEqualTo(again.traceHash());
        assertThat(again.replicas()).isEqualTo(first.replicas());
        assertThat(again.aborts()).isEqualTo(first.aborts());
        assertThat(again.meanCommitCycles()).isEqualTo(first.meanCommitCycles());
        assertThat(other.ok()).isTrue();
        assertThat(other.traceHash()).isNotEqualTo(first.traceHash());
    }

    @Test
    @Timeout(30)
    void twoPhaseWritersOnASubsetOfCoresAgree() {
        Machine amd = Machines.load("amd-8x4");
        var out = new ByteArrayOutputStream();
        var r = ReplicatedKv.run(amd, new SimPlatform(3), 4, List.of(1, 2, 3), 50,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(r.ok()).isTrue();
        assertThat(r.aborts()).isPositive();
        assertThat(r.replicas()).hasSize(4).allSatisfy(m -> assertThat(m).isEqualTo(r.replicas().get(0)));
        assertThat(r.replicas().get(0).values()).allSatisfy(v -> assertThat(v).matches("core-[123]#\\d+"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("two-phase commit with per-key locks",
                "150 of 150 writes committed", "replicas identical: true", "aborted on a locked key and retried");
    }

    @Test
    @Timeout(60)
    void twoPhaseWritersRunOnPinnedHostCores() {
        Machine host = Machines.load("host", warning -> {});
        int cores = Math.min(2, host.coreCount());
        List<Integer> writers = cores > 1 ? List.of(0, 1) : List.of(0);
        var r = ReplicatedKv.run(host, new PinnedPlatform(), cores, writers, 200, QUIET);

        assertThat(r.errors()).isEmpty();
        assertThat(r.committed()).isEqualTo(200 * writers.size());
        assertThat(r.appliedPerReplica()).containsOnly(200L * writers.size());
        assertThat(r.allEqual()).isTrue();
        assertThat(r.traceHash()).isNull();
    }

    @Test
    void protocolsAreNamedAndWritersChecked() {
        assertThat(Protocol.of("two-phase")).isEqualTo(Protocol.TWO_PHASE);
        assertThat(Protocol.of("sequencer")).isEqualTo(Protocol.SEQUENCER);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Protocol.of("paxos"))
                .hasMessageContaining("'paxos'").hasMessageContaining("sequencer, two-phase");
        Machine amd = Machines.load("amd-8x4");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ReplicatedKv.run(amd, new SimPlatform(1), 4, List.of(1, 1), 5, QUIET))
                .hasMessageContaining("repeat");
    }
}
