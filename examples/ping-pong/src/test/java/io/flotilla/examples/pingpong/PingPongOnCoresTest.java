package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.CostModel;
import io.flotilla.platform.sim.SimPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same dispatchers on the simulated 8x4-core AMD and on two pinned cores of this host. */
class PingPongOnCoresTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void onTheSimulatedMachineTheRoundTripIsTwoOneHopMessagesAndTheRunIsDeterministic() {
        Machine amd = Machines.load("amd-8x4");
        var first = PingPongOnCores.run(amd, new SimPlatform(7), 0, 5, 2_000, QUIET);
        var again = PingPongOnCores.run(amd, new SimPlatform(7), 0, 5, 2_000, QUIET);

        assertThat(first.errors()).isEmpty();
        assertThat(first.ok()).isTrue();
        assertThat(first.serverLog()).containsExactly("hello from core 0, after 2000 pongs");
        // One hop on the 8x4 AMD: Table 2's 613 cycles each way when nothing queues. But the client keeps a window of
        // eight pings in flight, and each receiver stalls to fetch every frame (one line transfer, 307 cycles, but at
        // least the Opteron's probe round, 361: Table 2's pipelined cost), so the stream is receiver-bound and a round
        // trip waits behind the window: 8 x 361 cycles and some (Little's law), plus jitter.
        long fetch = Math.max(307, CostModel.calibrated(amd).probeFloorCycles());
        assertThat(first.medianRttCycles()).isBetween(PingPongOnCores.Client.WINDOW * fetch,
                PingPongOnCores.Client.WINDOW * (fetch + 64));
        assertThat(first.traceHash()).isNotNull().isEqualTo(again.traceHash());
        assertThat(first.medianRttCycles()).isEqualTo(again.medianRttCycles());
    }

    @Test
    @Timeout(60)
    void theSameDispatchersRunOnPinnedHostCores() {
        Machine host = Machines.load("host", warning -> {});
        int server = host.coreCount() > 1 ? 1 : 0;
        var out = new ByteArrayOutputStream();
        var r = PingPongOnCores.run(host, new PinnedPlatform(), 0, server, 2_000,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(r.errors()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.traceHash()).isNull();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2000 pongs", "7 of 7 replies correct");
    }

    @Test
    void theBindingSwapsToANewChannelMidRunOnTheSimulatorWithoutLosingAPing() {
        Machine amd = Machines.load("amd-8x4");
        var r = PingPongOnCores.run(amd, new SimPlatform(7), 0, 5, 2_000, "urpc", QUIET);
        var again = PingPongOnCores.run(amd, new SimPlatform(7), 0, 5, 2_000, "urpc", QUIET);

        assertThat(r.errors()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.swappedTo()).isEqualTo("urpc");
        assertThat(r.traceHash()).isEqualTo(again.traceHash());
    }

    @Test
    @Timeout(60)
    void onPinnedCoresTheBindingSwapsOntoTheNetworkMidRun() {
        Machine host = Machines.load("host", warning -> {});
        int server = host.coreCount() > 1 ? 1 : 0;
        var r = PingPongOnCores.run(host, new PinnedPlatform(), 0, server, 2_000, server == 0 ? "lrpc" : "net",
                QUIET);

        assertThat(r.errors()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.swappedTo()).isNotNull();
    }

    @Test
    void onTheSimulatorASwapToNetMakesEachMessageCostTheNetworkStacks() {
        Machine amd = Machines.load("amd-8x4");
        var urpc = PingPongOnCores.run(amd, new SimPlatform(7), 0, 5, 2_000, "urpc", QUIET);
        var net = PingPongOnCores.run(amd, new SimPlatform(7), 0, 5, 2_000, "net", QUIET);

        assertThat(net.errors()).isEmpty();
        assertThat(net.ok()).isTrue();
        assertThat(net.swappedTo()).isEqualTo("net");
        // After the swap every ping and pong passes two network stacks (CostModel: about 8,700 cycles each on the
        // 8x4's clock), so the slower half of the round trips is far above urpc's.
        assertThat(net.p99RttCycles()).isGreaterThan(urpc.p99RttCycles() + 2 * 6_000);
    }

    @Test
    void anUnknownTransportIsRefusedOnTheSimulatorAsOnPinned() {
        Machine amd = Machines.load("amd-8x4");
        var r = PingPongOnCores.run(amd, new SimPlatform(7), 0, 5, 200, "rdma", QUIET);

        assertThat(r.swappedTo()).isNull();
        assertThat(r.errors()).anySatisfy(e -> assertThat(e).contains("no transport named 'rdma' on sim"));
    }
}
