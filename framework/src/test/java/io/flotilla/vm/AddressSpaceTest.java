package io.flotilla.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.kernel.cap.CSpace;
import io.flotilla.kernel.cap.CapAddress;
import io.flotilla.kernel.cap.CapType;
import io.flotilla.cap.CapabilityException;
import io.flotilla.kernel.cap.CapabilityStore;
import io.flotilla.kernel.cap.Right;
import io.flotilla.kernel.cap.Rights;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AddressSpaceTest {

    private static final Machine AMD = Machines.load("amd-8x4");
    private static final CapAddress RAM = CapAddress.of(0, 0);
    private static final CapAddress TABLE_RAM = CapAddress.of(0, 1);
    private static final CapAddress FRAME = CapAddress.of(0, 2);
    private static final CapAddress READ_ONLY = CapAddress.of(0, 3);
    private static final CapAddress TABLES = CapAddress.of(0, 16);
    private static final long VA = 0x7f00_0000_0000L;

    private CSpace cspace;

    @BeforeEach
    void caps() {
        CapabilityStore store = new CapabilityStore(0);
        cspace = store.createCSpace("owner", 4);
        io.flotilla.kernel.cap.BootCapabilities.create(store, cspace, RAM, CapType.RAM, 0x100000, 1 << 20);
        cspace.retype(RAM, 0, CapType.RAM, 64 * 1024, 1, TABLE_RAM);
        cspace.retype(RAM, 64 * 1024, CapType.FRAME, 16 * 1024, 1, FRAME);
        cspace.mint(FRAME, READ_ONLY, Rights.of(Right.READ));
    }

    private AddressSpace space() {
        return new AddressSpace(cspace, 7, TABLE_RAM, TABLES, 32);
    }

    @Test
    void mapsFramesThroughFourLevelsOfVNodes() {
        AddressSpace as = space();
        as.map(VA, FRAME, 4096, 8192, true);
        assertThat(as.translate(VA + 12)).isEqualTo(0x100000 + 64 * 1024 + 4096 + 12);
        assertThat(as.translate(VA + 4096)).isEqualTo(0x100000 + 64 * 1024 + 8192);
        assertThat(as.translate(VA + 8192)).isEqualTo(-1);
        assertThat(as.tables()).isEqualTo(4);
        assertThat(cspace.identify(TABLES.plus(3)).type()).isEqualTo(CapType.VNODE_X86_64_PTABLE);
        assertThat(as.mappedPages()).isEqualTo(2);
    }

    @Test
    void refusesWhatTheCapabilitiesDoNotAllow() {
        AddressSpace as = space();
        assertThatThrownBy(() -> as.map(VA, READ_ONLY, 0, 4096, true)).isInstanceOf(CapabilityException.class)
                .hasMessageContaining("NO_RIGHTS");
        assertThatThrownBy(() -> as.map(VA, CapAddress.of(0, 9), 0, 4096, false))
                .isInstanceOf(CapabilityException.class);
        assertThatThrownBy(() -> as.map(VA, TABLE_RAM, 0, 4096, false)).isInstanceOf(CapabilityException.class)
                .hasMessageContaining("WRONG_TYPE");
        assertThatThrownBy(() -> as.map(VA + 1, FRAME, 0, 4096, false)).isInstanceOf(VmException.class)
                .hasMessageContaining("NOT_ALIGNED");
        assertThatThrownBy(() -> as.map(VA, FRAME, 8192, 16 * 1024, false)).isInstanceOf(VmException.class)
                .hasMessageContaining("OUT_OF_RANGE");
        as.map(VA, READ_ONLY, 0, 4096, false);
        assertThatThrownBy(() -> as.map(VA, FRAME, 0, 4096, false)).isInstanceOf(VmException.class)
                .hasMessageContaining("ALREADY_MAPPED");
    }

    @Test
    void aRevokedFrameStopsTranslating() {
        AddressSpace as = space();
        as.map(VA, FRAME, 0, 4096, true);
        cspace.revoke(RAM);
        assertThat(as.translate(VA)).isEqualTo(-1);
    }

    @Test
    void pageTableMemoryRunsOut() {
        AddressSpace as = new AddressSpace(cspace, 1, TABLE_RAM, TABLES, 4);
        as.map(VA, FRAME, 0, 4096, false);
        // another PML4 slot needs three more tables; only the four slots given exist
        assertThatThrownBy(() -> as.map(0x1000, FRAME, 4096, 4096, false)).isInstanceOf(VmException.class)
                .hasMessageContaining("NO_TABLE_MEMORY");
    }

    /** A per-core helper: the test's IPI shootdown registers its interrupt handlers on it. */
    static final class Agent extends Dispatcher {}

    /**
     * The simplest correct shootdown: interrupt every core, invalidate there, interrupt the caller's core back; the
     * plugins ship the real protocols. Each agent registers its handlers before boot; an interrupt carries the whole
     * request in its word (address-space id, page number and page count), so nothing but numbers crosses cores.
     */
    static final class IpiShootdown implements TlbShootdown {
        static final int INVALIDATE = 0xF0;
        static final int ACKNOWLEDGE = 0xF1;
        // The caller's core's round: touched only there.
        private int left;
        private Runnable done;

        IpiShootdown(Agent[] agents) {
            for (Agent a : agents) {
                if (a == null) {
                    continue;
                }
                a.onInterrupt(INVALIDATE, (from, word) -> {
                    int asid = (int) (word >>> 48);
                    long vaddr = word & 0xFFFF_FFFF_F000L;
                    long pages = word & 0xFFF;
                    a.tlb().invalidate(asid, vaddr, pages);
                    a.invalidateTlb(pages);
                    a.interrupt(from, ACKNOWLEDGE, word);
                });
                a.onInterrupt(ACKNOWLEDGE, (from, word) -> {
                    if (--left == 0) {
                        done.run();
                    }
                });
            }
        }

        @Override
        public void shootdown(Dispatcher caller, int asid, long vaddr, long pages, int[] cores, Runnable done) {
            assertThat(pages).isBetween(1L, 0xFFFL);
            assertThat(vaddr >>> 48).isZero();
            long word = (long) asid << 48 | (vaddr >>> 12) << 12 | pages;
            this.left = cores.length;
            this.done = done;
            for (int c : cores) {
                caller.interrupt(c, INVALIDATE, word);
            }
        }
    }

    /** Core 1 reads the page again and again; records what each access found. */
    static final class Reader extends Dispatcher {
        final AddressSpace as;
        final List<String> seen = new ArrayList<>();

        Reader(AddressSpace as) {
            this.as = as;
        }

        @Override
        protected void onStart() {
            read();
        }

        void read() {
            try {
                as.access(this, VA, false);
                seen.add(now() + " hit");
                after(200, this::read);
            } catch (VmException e) {
                seen.add(now() + " " + e.kind());
            }
        }
    }

    /** Core 0 maps, lets the reader cache the translation, unmaps, and notes when the shootdown finished. */
    static final class Owner extends Dispatcher {
        final AddressSpace as;
        final IpiShootdown shootdown;
        long unmappedAt = -1;
        long doneAt = -1;

        Owner(AddressSpace as, IpiShootdown shootdown) {
            this.as = as;
            this.shootdown = shootdown;
        }

        @Override
        protected void onStart() {
            after(5_000, () -> {
                unmappedAt = now();
                as.unmap(this, VA, 1, shootdown, new int[] {1, 9}, () -> doneAt = now());
            });
        }
    }

    @Test
    void unmapReachesEveryCoresTlbAndStaleHitsEndWithTheShootdown() {
        AddressSpace as = space();
        as.map(VA, FRAME, 0, 4096, false);
        Agent[] agents = new Agent[AMD.coreCount()];
        Multikernel.Builder b = Multikernel.builder(AMD, new SimPlatform(3)).out(null).cores(10);
        for (int c = 0; c < 10; c++) {
            agents[c] = new Agent();
            b.dispatcher(c, agents[c]);
        }
        Owner owner = new Owner(as, new IpiShootdown(agents));
        Reader reader = new Reader(as);
        Multikernel mk = b.dispatcher(0, owner).dispatcher(1, reader).boot();
        mk.run(Duration.ofSeconds(1));

        assertThat(mk.failures()).isEmpty();
        assertThat(owner.doneAt).isGreaterThan(owner.unmappedAt);
        String last = reader.seen.get(reader.seen.size() - 1);
        assertThat(last).endsWith("NOT_MAPPED");
        long faultAt = Long.parseLong(last.split(" ")[0]);
        // the entry was gone from the page table at unmappedAt, yet core 1 kept hitting its cached copy until its
        // own invalidation: the window a shootdown exists to close
        assertThat(reader.seen.stream().filter(s -> s.endsWith("hit"))
                .mapToLong(s -> Long.parseLong(s.split(" ")[0])).max().orElseThrow()).isGreaterThan(owner.unmappedAt);
        assertThat(faultAt).isLessThanOrEqualTo(owner.doneAt + 200);
        assertThat(agents[1].tlb().holds(7, VA)).isFalse();
        assertThat(as.mappedPages()).isZero();
        assertThatThrownBy(() -> as.unmap(owner, VA, 1, (c, a, v, p, cs, d) -> d.run(), new int[0], () -> {}))
                .isInstanceOf(VmException.class).hasMessageContaining("NOT_MAPPED");
    }
}
