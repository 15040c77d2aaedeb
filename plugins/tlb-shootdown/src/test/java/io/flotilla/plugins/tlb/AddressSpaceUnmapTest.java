package io.flotilla.plugins.tlb;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.kernel.cap.CSpace;
import io.flotilla.kernel.cap.CapAddress;
import io.flotilla.kernel.cap.CapType;
import io.flotilla.kernel.cap.CapabilityStore;
import io.flotilla.kernel.cap.MemoryRegion;
import io.flotilla.kernel.cap.MemoryServer;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.vm.AddressSpace;
import io.flotilla.vm.VmException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The capabilities issue's unmap, end to end: an address space unmaps through this plugin's protocols. */
class AddressSpaceUnmapTest {

    private static final Machine AMD = Machines.load("amd-8x4");
    private static final long VA = 0x4000_0000L;
    private static final int ASID = 42;
    private static final int CORES = 12;

    /** Touches the page once (caching the translation), then checks it again when asked. */
    static final class Reader extends Dispatcher {
        final AddressSpace as;
        boolean cachedBefore;
        String after;

        Reader(AddressSpace as) {
            this.as = as;
        }

        @Override
        protected void onStart() {
            as.access(this, VA, false);
            cachedBefore = tlb().holds(ASID, VA);
        }

        void check() {
            try {
                as.access(this, VA, false);
                after = "hit";
            } catch (VmException e) {
                after = e.kind().name();
            }
        }
    }

    /** Unmaps once every reader has cached the page; then has every reader look again. */
    static final class Owner extends Dispatcher {
        final AddressSpace as;
        final GroupShootdown shootdown;
        final Reader[] readers;
        long took = -1;

        Owner(AddressSpace as, GroupShootdown shootdown, Reader[] readers) {
            this.as = as;
            this.shootdown = shootdown;
            this.readers = readers;
        }

        @Override
        protected void onStart() {
            after(200_000, () -> {
                long start = now();
                int[] others = IntStream.range(1, CORES).toArray();
                as.unmap(this, VA, 1, shootdown, others, () -> {
                    took = now() - start;
                    for (Reader r : readers) {
                        if (r != null) {
                            r.after(0, r::check);
                        }
                    }
                    after(100_000, this::stopKernel);
                });
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unicast", "multicast", "numa-multicast", "broadcast", "ipi"})
    void afterUnmapNoCoreTranslatesThePage(String variant) {
        CapabilityStore store = new CapabilityStore(0);
        CSpace cspace = store.createCSpace("owner", 4);
        // boot memory comes from the memory server, as a program would get it (minting RAM is the kernel's alone)
        new MemoryServer(store, List.of(new MemoryRegion(0, 0x100000, 1 << 20)))
                .allocate(1 << 20, List.of(), cspace, CapAddress.of(0, 0));
        cspace.retype(CapAddress.of(0, 0), 0, CapType.RAM, 64 * 1024, 1, CapAddress.of(0, 1));
        cspace.retype(CapAddress.of(0, 0), 64 * 1024, CapType.FRAME, 4096, 1, CapAddress.of(0, 2));
        AddressSpace as = new AddressSpace(cspace, ASID, CapAddress.of(0, 1), CapAddress.of(0, 16), 16);
        as.map(VA, CapAddress.of(0, 2), 0, 4096, true);

        ShootdownGroup group = ShootdownGroup.of(AMD, CORES, ShootdownProtocols.byName(variant));
        Reader[] readers = new Reader[CORES];
        Multikernel.Builder b = group.install(Multikernel.builder(AMD, new SimPlatform(5)).out(null).cores(CORES));
        for (int c = 1; c < CORES; c++) {
            readers[c] = new Reader(as);
            b.dispatcher(c, readers[c]);
        }
        Owner owner = new Owner(as, new GroupShootdown(group), readers);
        Multikernel mk = b.dispatcher(0, owner).boot();
        mk.run(Duration.ofSeconds(1));

        assertThat(mk.failures()).isEmpty();
        assertThat(owner.took).isPositive();
        for (int c = 1; c < CORES; c++) {
            assertThat(readers[c].cachedBefore).as("core %d cached the page", c).isTrue();
            assertThat(group.agent(c).tlb().holds(ASID, VA)).as("core %d's TLB", c).isFalse();
            assertThat(readers[c].after).as("core %d after the unmap", c).isEqualTo("NOT_MAPPED");
        }
    }
}
