package io.flotilla.experiments.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.machine.Machines;
import io.flotilla.skb.MessageCpuProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's one-thread message probe boots, binds and carries every ping (its numbers are not judged here). */
class RuntimeMessageCpuTest {

    @Test
    void everyPingGoesThroughTheRuntimeInOrder() {
        // The server refuses a ping out of sequence and a lost one stops the probe: a result means all arrived.
        MessageCpuProbe.Cost cost = RuntimeMessageCpu.measure(Machines.load("amd-2x2"), Duration.ZERO);

        assertThat(cost.cycles()).isPositive().isLessThanOrEqualTo(cost.medianCycles());
        assertThat(cost.trials()).isEqualTo(MessageCpuProbe.TRIALS);
    }

    @Test
    void theKernelCrossingsAreMeasuredInTheSameBoot() {
        // Every same-core ping and every interrupt is checked in sequence by its receiver, as the pings are.
        RuntimeMessageCpu.Costs costs = RuntimeMessageCpu.measureWithCrossings(Machines.load("amd-2x2"),
                Duration.ZERO, Duration.ZERO);

        assertThat(costs.message().cycles()).isPositive();
        assertThat(costs.lrpcMessage().cycles()).isPositive();
        assertThat(costs.interrupt().cycles()).isPositive();
        // pinned enters no CPU driver: a capability invocation is a call that does nothing, far below a message
        assertThat(costs.capabilityInvocation().cycles()).isLessThan(costs.message().cycles());
        assertThat(costs.systemCall().cycles()).isLessThan(costs.message().cycles());
    }

    @Test
    void interruptsAndMessagesRoundTripBetweenTwoPinnedCores() {
        for (CrossCoreRoundTrip.Result r : java.util.List.of(
                CrossCoreRoundTrip.interrupts(Machines.load("amd-2x2"), Duration.ofMillis(50), Duration.ofSeconds(30)),
                CrossCoreRoundTrip.messages(Machines.load("amd-2x2"), Duration.ofMillis(50), Duration.ofSeconds(30)))) {
            assertThat(r.fastestCycles()).isPositive().isLessThanOrEqualTo(r.medianCycles());
            assertThat(r.oneWay()).isEqualTo(r.medianCycles() / 2);
            assertThat(r.trials()).isEqualTo(CrossCoreRoundTrip.TRIALS);
        }
    }

    @Test
    void aMachineOfOneCoreIsRefused(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one.topo");
        Files.writeString(one, "machine \"one\" { clock 1 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0 } }");

        assertThatThrownBy(() -> RuntimeMessageCpu.measure(Machines.load(one.toString()), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("one has 1 core: a message between two"
                        + " cores needs two");
    }
}
