package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void byDefaultEndsOnOneCoreShareAnInProcessTransferAndEndsOnTwoCoresRefuseSayingHowToBootTheMonitors() {
        var server = new Server();
        var local = new Client();
        var remote = new Client();
        try (Multikernel mk = Multikernel.builder(AMD8, new SimPlatform(5)).out(null).dispatcher(0, server)
                .dispatcher(0, local).dispatcher(5, remote).boot()) {
            mk.run(Duration.ofMillis(5));
        }
        assertThat(local.end.caps()).isInstanceOf(InProcessCapabilityTransfer.class);
        assertThat(remote.end.caps()).isInstanceOf(NoCrossCoreTransfer.class);
        assertThat(server.ends).hasSize(2);
        assertThat(server.ends.stream().map(Binding::caps)).contains(local.end.caps());
        CapabilityTransfer serverSide = server.ends.stream().map(Binding::caps)
                .filter(t -> t instanceof NoCrossCoreTransfer).findFirst().orElseThrow();
        // Nothing null travels as 0 and back; anything else is refused with both cores named and the remedy.
        assertThat(remote.end.caps().send(null, false)).isZero();
        assertThat(serverSide.receive(0)).isNull();
        assertThatThrownBy(() -> remote.end.caps().send(new io.flotilla.cap.Capability() {}, false))
                .isInstanceOf(io.flotilla.binding.BindingException.class)
                .hasMessageContaining("between cores 5 and 0").hasMessageContaining("CapabilitySystem.install");
        assertThatThrownBy(() -> serverSide.receive(3))
                .isInstanceOf(io.flotilla.binding.BindingException.class)
                .hasMessageStartingWith("capability reference 3 received, but this binding cannot transfer");
    }

    @Test
    void aBootsFactoryIsAskedOncePerEndOnItsOwnCoreAndItsTransfersAreUsed() {
        var server = new Server();
        var client = new Client();
        var asked = new ArrayList<String>();
        var made = new ArrayList<CapabilityTransfer>();
        CapabilityTransfers factory = (end, sameCorePeer) -> {
            asked.add((end.server() ? "server " : "client ") + end.clientCore() + " " + end.serverCore() + " "
                    + (end.owner() == (end.server() ? (Object) server : client)) + " " + (sameCorePeer == null));
            var t = new InProcessCapabilityTransfer();
            made.add(t);
            return t;
        };
        try (Multikernel mk = Multikernel.builder(AMD8, new SimPlatform(6)).out(null).capabilityTransfers(factory)
                .dispatcher(1, server).dispatcher(6, client).boot()) {
            mk.run(Duration.ofMillis(5));
        }
        assertThat(asked).containsExactly("server 6 1 true true", "client 6 1 true true");
        assertThat(server.ends.get(0).caps()).isSameAs(made.get(0));
        assertThat(client.end.caps()).isSameAs(made.get(1));
    }
}
