package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.binding.Binding;
import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.kernel.CapabilityTransfers;
import io.flotilla.binding.InProcessCapabilityTransfer;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor gives both ends of a bind the capability transfers the boot's {@link CapabilityTransfers} makes. */
class CapabilityTransfersTest {

    private static final Machine AMD8 = Machines.load("amd-8x4");

    static final class Server extends Dispatcher {
        final List<Binding> ends = new ArrayList<>();

        @Override
        protected void onStart() {
            export("svc", b -> {
                b.setReceiver(f -> { });
                ends.add(b);
                return true;
            });
        }
    }

    static final class Client extends Dispatcher {
        Binding end;

        @Override
        protected void onStart() {
            bind("svc", (b, e) -> {
                b.setReceiver(f -> { });
                end = b;
            });
        }
    }

    @Test
    void byDefaultEndsOnOneCoreShareAnInProcessTransferAndEndsOnTwoCoresCarryNone() {
        var server = new Server();
        var local = new Client();
        var remote = new Client();
        try (Multikernel mk = Multikernel.builder(AMD8, new SimPlatform(5)).out(null).dispatcher(0, server)
                .dispatcher(0, local).dispatcher(5, remote).boot()) {
            mk.run(Duration.ofMillis(5));
        }
        assertThat(local.end.caps()).isInstanceOf(InProcessCapabilityTransfer.class);
        assertThat(remote.end.caps()).isSameAs(CapabilityTransfer.NONE);
        assertThat(server.ends).hasSize(2);
        assertThat(server.ends.stream().map(Binding::caps)).contains(local.end.caps(), CapabilityTransfer.NONE);
    }

    @Test
    void aBootsFactoryIsAskedOncePerBindWithBothEndsAndItsTransfersAreUsed() {
        var server = new Server();
        var client = new Client();
        var asked = new ArrayList<String>();
        var made = new ArrayList<CapabilityTransfers.Ends>();
        CapabilityTransfers factory = (clientCore, c, serverCore, s) -> {
            asked.add(clientCore + " " + (c == client) + " " + serverCore + " " + (s == server));
            var ends = new CapabilityTransfers.Ends(new InProcessCapabilityTransfer(),
                    new InProcessCapabilityTransfer());
            made.add(ends);
            return ends;
        };
        try (Multikernel mk = Multikernel.builder(AMD8, new SimPlatform(6)).out(null).capabilityTransfers(factory)
                .dispatcher(1, server).dispatcher(6, client).boot()) {
            mk.run(Duration.ofMillis(5));
        }
        assertThat(asked).containsExactly("6 true 1 true");
        assertThat(client.end.caps()).isSameAs(made.get(0).client());
        assertThat(server.ends.get(0).caps()).isSameAs(made.get(0).server());
    }
}
