package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

import static io.flotilla.kernel.cap.CapAddress.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.machine.Machines;
import io.flotilla.skb.Skb;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryServerTest {

    static final long PAGE = 4096;

    CapabilityStore store;
    MemoryServer server;
    CSpace client;

    @BeforeEach
    void boot() {
        store = new CapabilityStore(0);
        server = new MemoryServer(store, List.of(
                new MemoryRegion(0, 0, 16 * PAGE),
                new MemoryRegion(1, 0x100000, 8 * PAGE),
                new MemoryRegion(1, 0x200000, 8 * PAGE)));
        client = store.createCSpace("client", 1);
    }

    @Test
    void handsOutNaturallyAlignedPowerOfTwoBlocksFromThePreferredNode() {
        MemoryServer.Grant g = server.allocate(5000, List.of(1, 0), client, of(0, 0));
        assertThat(g).isEqualTo(new MemoryServer.Grant(1, 0x100000, 2 * PAGE));
        assertThat(client.identify(of(0, 0))).isEqualTo(new CapIdentity(CapType.RAM, 0x100000, 2 * PAGE,
                Rights.ALL, 0));
        assertThat(server.allocate(1, List.of(), client, of(0, 1)).node()).isEqualTo(0);
        assertThat(server.nodes()).containsExactly(0, 1);
    }

    @Test
    void fallsBackToOtherNodesAndNeverHandsOutMemoryTwice() {
        long handed = 0;
        for (int i = 0; i < 8; i++) {
            MemoryServer.Grant g = server.allocate(4 * PAGE, List.of(1), client, of(0, i));
            handed += g.size();
            assertThat(g.base() % g.size()).isZero();
        }
        assertThat(handed).isEqualTo(32 * PAGE);
        assertThatThrownBy(() -> server.allocate(PAGE, List.of(0, 1), client, of(0, 9)))
                .isInstanceOfSatisfying(CapabilityException.class,
                        e -> assertThat(e.kind()).isEqualTo(CapabilityException.Kind.OUT_OF_MEMORY));
        client.delete(of(0, 3));
        assertThat(server.allocate(PAGE, List.of(), client, of(0, 9)).size()).isEqualTo(PAGE);
    }

    @Test
    void aBadDestinationKeepsTheMemoryFree() {
        server.allocate(PAGE, List.of(0), client, of(0, 0));
        assertThatThrownBy(() -> server.allocate(PAGE, List.of(0), client, of(0, 0)))
                .isInstanceOfSatisfying(CapabilityException.class,
                        e -> assertThat(e.kind()).isEqualTo(CapabilityException.Kind.SLOT_OCCUPIED));
        assertThat(server.allocate(PAGE, List.of(0), client, of(0, 1)).base()).isEqualTo(PAGE);
        assertThatThrownBy(() -> server.allocate(0, List.of(0), client, of(0, 2)))
                .isInstanceOfSatisfying(CapabilityException.class,
                        e -> assertThat(e.kind()).isEqualTo(CapabilityException.Kind.BAD_SIZE));
    }

    @Test
    void aMachinesNumaNodesBecomeTheServersRegionsAndTheSkbSaysWhichToTryFirst() {
        var machine = Machines.load("amd-8x4");
        var regions = MemoryRegion.of(machine);
        assertThat(regions).hasSize(machine.numaNodes().size());
        var store = new CapabilityStore(0);
        var server = new MemoryServer(store, regions);
        var client = store.createCSpace("client", 1);
        var skb = Skb.of(machine);

        int core = 13;
        int closest = skb.closestMemoryNode(core);
        var grant = server.allocate(1 << 20, List.of(closest), client, CapAddress.of(0, 0));

        assertThat(grant.node()).isEqualTo(closest).isEqualTo(machine.numaNodeOf(core).id());
        assertThat(client.identify(CapAddress.of(0, 0)).type()).isEqualTo(CapType.RAM);
    }
}
