package io.flotilla.kernel.cap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.cap.Capability;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.kernel.cap.lend.CapLend;
import io.flotilla.kernel.cap.lend.CapLendHandler;
import io.flotilla.kernel.cap.lend.CapLendStub;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code cap} argument of a generated stub travels between two cores with the kernel's own mechanism only: the
 * agreement monitors and capability bindings of {@code flotilla-kernel}, no plugin on the class path (this module's
 * tests have none). The receiver finds the capability in its own CSpace, with the sender's rights and identity.
 */
class CapabilityArgumentTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final long PAGE = 4096;
    static final CapAddress RAM = CapAddress.of(0, 0);
    static final int RECEIVE_L1 = 1;

    @Test
    void noPluginIsOnTheClassPath() {
        assertThat(getClass().getClassLoader().getResource("io/flotilla/plugins/agreement/AgreementPlugin.class"))
                .isNull();
    }

    @Test
    void aCapLentBetweenCoresOnSimArrivesInTheReceiversCSpace() {
        assertThat(lend(new SimPlatform(21), 1, 6)).containsExactly("lend 7: RAM 0x100000+0x40000 owner 1");
    }

    @Test
    void aCapLentBetweenPinnedCoresArrivesInTheReceiversCSpace() {
        Platform pinned = new PinnedPlatform(TransportRegistry.discover(), true, false, 1);
        assertThat(lend(pinned, 0, 1)).containsExactly("lend 7: RAM 0x100000+0x40000 owner 0");
    }

    @Test
    void installedForFewerCoresThanTheBuilderBootsIsRefusedAtBootNamingBoth() {
        Multikernel.Builder boot = Multikernel.builder(AMD, new SimPlatform(3)).cores(2).out(null);
        CapabilitySystem.install(boot);
        boot.cores(4);
        assertThatThrownBy(boot::boot).isInstanceOf(IllegalStateException.class)
                .hasMessage("CapabilitySystem was installed for 2 cores, but the builder boots 4: call cores(n) "
                        + "before install");
    }

    /** The client on {@code clientCore} lends its RAM to the server on {@code serverCore}; what the server saw. */
    private static List<String> lend(Platform platform, int clientCore, int serverCore) {
        int cores = Math.max(clientCore, serverCore) + 1;
        Multikernel.Builder boot = Multikernel.builder(AMD, platform).cores(cores);
        CapabilitySystem caps = CapabilitySystem.install(boot);
        CSpace clientCs = caps.monitor(clientCore).createCSpace("client", 4);
        CSpace serverCs = caps.monitor(serverCore).createCSpace("server", 4);
        caps.monitor(clientCore).store().createBoot(clientCs, RAM, CapType.RAM, 0x10_0000, 64 * PAGE);
        caps.monitor(serverCore).store().createBoot(serverCs, RAM, CapType.RAM, 0x80_0000, 64 * PAGE);
        serverCs.retype(RAM, 0, CapType.L2_CNODE, 16 * 1024, 1, CapAddress.of(0, 1));
        serverCs.copy(CapAddress.of(0, 1), CapAddress.cnode(RECEIVE_L1));

        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Dispatcher server = new Dispatcher() {
            @Override
            protected void onStart() {
                export("lend", binding -> {
                    binding.setErrorHandler(e -> {
                        seen.add("refused: " + e.getMessage());
                        stopKernel();
                    });
                    CapLend.bind(binding, new CapLendHandler() {
                        @Override
                        public void lend(long tag, Capability c) {
                            CapIdentity id = serverCs.identify(((CapRef) c).address());
                            seen.add("lend " + tag + ": " + id.type() + " 0x" + Long.toHexString(id.base()) + "+0x"
                                    + Long.toHexString(id.size()) + " owner " + id.owner());
                            stopKernel();
                        }
                    });
                    return true;
                });
            }
        };
        Dispatcher client = new Dispatcher() {
            @Override
            protected void onStart() {
                bind("lend", (binding, error) -> {
                    if (error != null) {
                        seen.add("bind failed: " + error.getMessage());
                        return;
                    }
                    CapLendStub stub = CapLend.bind(binding, new CapLendHandler() {});
                    stub.lend(7, clientCs.ref(RAM));
                });
            }
        };
        caps.attach(server, serverCs, RECEIVE_L1);
        caps.attach(client, clientCs, RECEIVE_L1);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (Multikernel mk = boot
                .dispatcher(serverCore, server)
                .dispatcher(clientCore, client)
                .onFailure(f -> failures.add(f + " " + f.cause()))
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(60));
        }
        assertThat(failures).isEmpty();
        assertThat(caps.errors()).isEmpty();
        return seen;
    }
}
