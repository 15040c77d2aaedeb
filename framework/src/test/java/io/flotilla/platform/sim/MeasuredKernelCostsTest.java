package io.flotilla.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine's own measured kernel crossings and same-core message ({@code measured capability-invocation N}, ...:
 * a host's twin) replace TN-009's and Table 1's numbers, and the simulator charges them.
 */
class MeasuredKernelCostsTest {

    private static final String TWO_CORES = "clock 2 GHz numa 0 memory 1 GiB package 0 { numa 0 cores 0..1 }"
            + " measured 0 -- 1 latency 600";
    private static final String MEASURED = " measured lrpc-message 210 measured capability-invocation 7"
            + " measured system-call 5 measured interrupt-send 60 measured interrupt-trap 300";

    @TempDir
    Path dir;

    @Test
    void aMachineWithoutThemGetsTn009AndTable1() throws Exception {
        CostModel model = CostModel.calibrated(load("p", TWO_CORES));
        assertThat(model.capInvokeCycles()).isEqualTo(CostModel.DEFAULT_CAP_INVOKE_CYCLES).isEqualTo(2000);
        assertThat(model.syscallCycles()).isEqualTo(CostModel.DEFAULT_SYSCALL_CYCLES).isEqualTo(800);
        assertThat(model.trapCycles()).isEqualTo(CostModel.DEFAULT_TRAP_CYCLES).isEqualTo(800);
        assertThat(model.interruptSendCycles()).isEqualTo(CostModel.APIC_DELIVERY_WAIT);
        assertThat(model.lrpcCycles()).isEqualTo(1549 / 2);
    }

    @Test
    void measuredOnesReplaceThem() throws Exception {
        CostModel model = CostModel.calibrated(load("m", TWO_CORES + MEASURED));
        assertThat(model.lrpcCycles()).isEqualTo(210);
        assertThat(model.capInvokeCycles()).isEqualTo(7);
        assertThat(model.syscallCycles()).isEqualTo(5);
        assertThat(model.interruptSendCycles()).isEqualTo(60);
        assertThat(model.trapCycles()).isEqualTo(300);
    }

    @Test
    void theSimulatorChargesWhatWasMeasured() throws Exception {
        Crossings measured = run(load("m", TWO_CORES + MEASURED));
        assertThat(measured.capability).isEqualTo(7);
        assertThat(measured.syscall).isEqualTo(5);
        assertThat(measured.send).isEqualTo(60);
        // From the send to the handler: the sender's 60, the delivery (one line transfer, (600 - 2 x 76) / 2 = 224,
        // plus at most 8 cycles of jitter), then the 300-cycle trap before the handler runs.
        assertThat(measured.delivered - measured.sentAt).isBetween(60L + 224 + 300, 60L + 224 + 8 + 300);

        Crossings tn009 = run(load("p", TWO_CORES));
        assertThat(tn009.capability).isEqualTo(2000);
        assertThat(tn009.syscall).isEqualTo(800);
        assertThat(tn009.send).isEqualTo(224); // the APIC's delivery wait: one line transfer
    }

    /** Core 0 times its own crossings, then interrupts core 1, which notes when its handler ran. */
    private static Crossings run(Machine machine) {
        Crossings c = new Crossings();
        Dispatcher target = new Dispatcher() {
            {
                onInterrupt(0x40, (from, word) -> c.delivered = now());
            }
        };
        try (Multikernel mk = Multikernel.builder(machine, new SimPlatform(3)).out(null)
                .dispatcher(0, c).dispatcher(1, target).boot()) {
            mk.run(Duration.ofSeconds(1));
            assertThat(mk.failures()).isEmpty();
        }
        return c;
    }

    private static final class Crossings extends Dispatcher {
        long capability;
        long syscall;
        long send;
        long sentAt;
        long delivered;

        @Override
        protected void onStart() {
            long t0 = now();
            invokeCapability();
            long t1 = now();
            systemCall();
            long t2 = now();
            interrupt(1, 0x40, 1);
            long t3 = now();
            capability = t1 - t0;
            syscall = t2 - t1;
            send = t3 - t2;
            sentAt = t2;
        }
    }

    private Machine load(String name, String body) throws Exception {
        Path file = dir.resolve(name + ".topo");
        Files.writeString(file, "machine \"" + name + "\" { " + body + " }");
        return Machines.load(file.toString());
    }
}
