package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

import io.flotilla.binding.InProcessCapabilityTransfer;

import static io.flotilla.kernel.cap.CapAddress.of;
import static io.flotilla.cap.CapabilityException.Kind.BAD_ADDRESS;
import static io.flotilla.cap.CapabilityException.Kind.BAD_ALIGNMENT;
import static io.flotilla.cap.CapabilityException.Kind.BAD_SIZE;
import static io.flotilla.cap.CapabilityException.Kind.FOREIGN_STORE;
import static io.flotilla.cap.CapabilityException.Kind.NOT_HELD;
import static io.flotilla.cap.CapabilityException.Kind.NO_RIGHTS;
import static io.flotilla.cap.CapabilityException.Kind.OUT_OF_RANGE;
import static io.flotilla.cap.CapabilityException.Kind.OVERLAP;
import static io.flotilla.cap.CapabilityException.Kind.REMOTE_REQUIRED;
import static io.flotilla.cap.CapabilityException.Kind.REVOKED;
import static io.flotilla.cap.CapabilityException.Kind.SLOT_OCCUPIED;
import static io.flotilla.cap.CapabilityException.Kind.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.cap.CapabilityException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One example per operation and per error kind, on one core. */
class CapabilityOperationsTest {

    static final long PAGE = 4096;
    static final long BASE = 0x100000;
    static final CapAddress RAM = of(0, 0);

    CapabilityStore store;
    CSpace init;

    @BeforeEach
    void boot() {
        store = new CapabilityStore(0);
        init = store.createCSpace("init", 4);
        store.createBoot(init, RAM, CapType.RAM, BASE, 64 * PAGE);
    }

    static void refused(Kind kind, ThrowingCallable op) {
        assertThatThrownBy(op).isInstanceOfSatisfying(CapabilityException.class, e -> assertThat(e.kind())
                .as(e.getMessage()).isEqualTo(kind));
    }

    @Test
    void retypeSplitsRamIntoFramesThatIdentify() {
        init.retype(RAM, 2 * PAGE, CapType.FRAME, PAGE, 4, of(0, 1));
        for (int i = 0; i < 4; i++) {
            assertThat(init.identify(of(0, 1 + i)))
                    .isEqualTo(new CapIdentity(CapType.FRAME, BASE + (2 + i) * PAGE, PAGE, Rights.ALL, 0));
        }
        assertThat(init.children(RAM)).hasSize(4);
        assertThat(init.invoke(of(0, 1), CapType.FRAME, Right.READ).base()).isEqualTo(BASE + 2 * PAGE);
    }

    @Test
    void retypeFollowsTheHierarchy() {
        assertThat(CapType.RAM.retypeTargets()).contains(CapType.FRAME, CapType.L2_CNODE, CapType.DISPATCHER,
                CapType.VNODE_X86_64_PML4, CapType.VNODE_X86_64_PTABLE).doesNotContain(CapType.DEV_FRAME,
                CapType.PHYS_ADDR, CapType.END_POINT_LMP);
        assertThat(CapType.PHYS_ADDR.retypeTargets()).containsExactlyInAnyOrder(CapType.PHYS_ADDR, CapType.RAM,
                CapType.DEV_FRAME);
        init.retype(RAM, 0, CapType.DISPATCHER, 1024, 1, of(0, 1));
        // An LMP endpoint carries no memory: a dispatcher can be retyped into endpoints again and again.
        init.retype(of(0, 1), 0, CapType.END_POINT_LMP, 0, 2, of(0, 2));
        init.retype(of(0, 1), 0, CapType.END_POINT_LMP, 0, 1, of(0, 4));
        assertThat(init.identify(of(0, 4)).type()).isEqualTo(CapType.END_POINT_LMP);
    }

    @Test
    void physAddrMakesDeviceFramesAndRam() {
        store.createBoot(init, of(0, 9), CapType.PHYS_ADDR, 0xfee00000L, 16 * PAGE);
        init.retype(of(0, 9), 0, CapType.DEV_FRAME, PAGE, 1, of(0, 10));
        init.retype(of(0, 9), PAGE, CapType.RAM, PAGE, 1, of(0, 11));
        refused(WRONG_TYPE, () -> init.retype(of(0, 10), 0, CapType.FRAME, PAGE, 1, of(0, 12)));
    }

    @Test
    void notHeld() {
        refused(NOT_HELD, () -> init.identify(of(0, 7)));
        refused(NOT_HELD, () -> init.identify(of(3, 0)));
        refused(NOT_HELD, () -> init.identify(of(100, 0)));
        // A slot another dispatcher fills means nothing in this CSpace.
        CSpace other = store.createCSpace("other", 1);
        init.copyTo(RAM, other, of(0, 7));
        refused(NOT_HELD, () -> init.identify(of(0, 7)));
    }

    @Test
    void revokedCopiesAndDescendantsAreGoneAndSaySo() {
        init.copy(RAM, of(0, 1));
        init.retype(of(0, 1), 0, CapType.RAM, 8 * PAGE, 1, of(0, 2));
        init.retype(of(0, 2), 0, CapType.FRAME, PAGE, 2, of(0, 3));
        init.revoke(RAM);
        for (int slot = 1; slot <= 4; slot++) {
            int s = slot;
            refused(REVOKED, () -> init.identify(of(0, s)));
        }
        assertThat(init.children(RAM)).isEmpty();
        assertThat(init.identify(RAM).type()).isEqualTo(CapType.RAM);
        // A tombstone counts as empty for new capabilities.
        init.copy(RAM, of(0, 1));
        assertThat(init.identify(of(0, 1)).type()).isEqualTo(CapType.RAM);
    }

    @Test
    void rightsOnlyShrink() {
        init.mint(RAM, of(0, 1), Rights.of(Right.READ, Right.IDENTIFY));
        refused(NO_RIGHTS, () -> init.mint(of(0, 1), of(0, 2), Rights.ALL));
        refused(NO_RIGHTS, () -> init.retype(of(0, 1), 0, CapType.FRAME, PAGE, 1, of(0, 2)));
        refused(NO_RIGHTS, () -> init.revoke(of(0, 1)));
        refused(NO_RIGHTS, () -> init.copyTo(of(0, 1), store.createCSpace("b", 1), of(0, 0)));
        refused(NO_RIGHTS, () -> init.ref(of(0, 1)));
        init.mint(of(0, 1), of(0, 2), Rights.of(Right.READ));
        refused(NO_RIGHTS, () -> init.identify(of(0, 2)));
        // Retyped objects inherit the source copy's rights.
        init.mint(RAM, of(0, 3), Rights.ALL.without(Right.EXECUTE));
        init.retype(of(0, 3), 0, CapType.FRAME, PAGE, 1, of(0, 4));
        assertThat(init.identify(of(0, 4)).rights()).isEqualTo(Rights.ALL.without(Right.EXECUTE));
        refused(NO_RIGHTS, () -> init.invoke(of(0, 4), CapType.FRAME, Right.EXECUTE));
    }

    @Test
    void wrongType() {
        refused(WRONG_TYPE, () -> init.retype(RAM, 0, CapType.DEV_FRAME, PAGE, 1, of(0, 1)));
        refused(WRONG_TYPE, () -> init.retype(RAM, 0, CapType.END_POINT_LMP, 0, 1, of(0, 1)));
        init.retype(RAM, 0, CapType.FRAME, PAGE, 1, of(0, 1));
        refused(WRONG_TYPE, () -> init.retype(of(0, 1), 0, CapType.L2_CNODE, 16 * 1024, 1, of(0, 2)));
        refused(WRONG_TYPE, () -> init.invoke(RAM, CapType.FRAME, Right.READ));
        refused(WRONG_TYPE, () -> init.copy(RAM, CapAddress.cnode(1)));
    }

    @Test
    void overlappingRetypesAreRefusedDisjointOnesAllowed() {
        init.retype(RAM, 0, CapType.FRAME, PAGE, 2, of(0, 1));
        refused(OVERLAP, () -> init.retype(RAM, PAGE, CapType.FRAME, PAGE, 1, of(0, 3)));
        refused(OVERLAP, () -> init.retype(RAM, 0, CapType.RAM, 64 * PAGE, 1, of(0, 3)));
        init.retype(RAM, 2 * PAGE, CapType.VNODE_X86_64_PTABLE, PAGE, 1, of(0, 3));
        // Retype from self: the child RAM is split further; its parent may not touch that range.
        init.retype(RAM, 8 * PAGE, CapType.RAM, 8 * PAGE, 1, of(0, 4));
        init.retype(of(0, 4), 0, CapType.FRAME, PAGE, 1, of(0, 5));
        refused(OVERLAP, () -> init.retype(RAM, 8 * PAGE, CapType.FRAME, PAGE, 1, of(0, 6)));
        // With the middle RAM gone, its frame still descends from the root and still blocks it.
        init.delete(of(0, 4));
        refused(OVERLAP, () -> init.retype(RAM, 8 * PAGE, CapType.FRAME, PAGE, 1, of(0, 6)));
        init.delete(of(0, 5));
        init.retype(RAM, 8 * PAGE, CapType.FRAME, PAGE, 1, of(0, 6));
    }

    @Test
    void badSizeAlignmentRangeAndAddress() {
        refused(BAD_SIZE, () -> init.retype(RAM, 0, CapType.FRAME, 1000, 1, of(0, 1)));
        refused(BAD_SIZE, () -> init.retype(RAM, 0, CapType.L2_CNODE, 8 * 1024, 1, of(0, 1)));
        refused(BAD_SIZE, () -> init.retype(RAM, 0, CapType.DISPATCHER, PAGE, 1, of(0, 1)));
        refused(BAD_SIZE, () -> init.retype(RAM, 0, CapType.VNODE_X86_64_PML4, 2 * PAGE, 1, of(0, 1)));
        refused(BAD_ALIGNMENT, () -> init.retype(RAM, 1024, CapType.FRAME, PAGE, 1, of(0, 1)));
        init.retype(RAM, 1024, CapType.DISPATCHER, 1024, 1, of(0, 1));
        refused(OUT_OF_RANGE, () -> init.retype(RAM, 0, CapType.FRAME, PAGE, 0, of(0, 2)));
        refused(OUT_OF_RANGE, () -> init.retype(RAM, 60 * PAGE, CapType.FRAME, PAGE, 5, of(0, 2)));
        refused(OUT_OF_RANGE, () -> init.retype(RAM, 0, CapType.FRAME, Long.MAX_VALUE / 4096 * 4096, 4, of(0, 2)));
        refused(BAD_ADDRESS, () -> init.retype(RAM, 4 * PAGE, CapType.FRAME, PAGE, 3, of(0, 254)));
        refused(BAD_ADDRESS, () -> init.retype(RAM, 4 * PAGE, CapType.FRAME, PAGE, 1, CapAddress.cnode(1)));
    }

    @Test
    void occupiedSlotsRefuseAndRetypeIsAllOrNothing() {
        init.copy(RAM, of(0, 3));
        refused(SLOT_OCCUPIED, () -> init.copy(RAM, of(0, 3)));
        refused(SLOT_OCCUPIED, () -> init.retype(RAM, 0, CapType.FRAME, PAGE, 4, of(0, 1)));
        assertThat(init.children(RAM)).isEmpty();
        refused(NOT_HELD, () -> init.identify(of(0, 1)));
    }

    @Test
    void deleteKeepsOtherCopiesAndDescendants() {
        init.copy(RAM, of(0, 1));
        init.retype(RAM, 0, CapType.FRAME, PAGE, 1, of(0, 2));
        init.delete(RAM);
        refused(NOT_HELD, () -> init.identify(RAM));
        assertThat(init.identify(of(0, 1)).type()).isEqualTo(CapType.RAM);
        assertThat(init.identify(of(0, 2)).type()).isEqualTo(CapType.FRAME);
        refused(OVERLAP, () -> init.retype(of(0, 1), 0, CapType.FRAME, PAGE, 1, of(0, 3)));
    }

    @Test
    void cspaceGrowsWithRetypedCNodesWhoseSlotsDieWithThem() {
        init.retype(RAM, 0, CapType.L2_CNODE, 16 * 1024, 1, of(0, 1));
        init.copy(of(0, 1), CapAddress.cnode(1));
        init.retype(RAM, 16 * 1024, CapType.FRAME, PAGE, 1, of(1, 5));
        assertThat(init.identify(of(1, 5)).type()).isEqualTo(CapType.FRAME);
        assertThat(init.identify(CapAddress.cnode(1)).type()).isEqualTo(CapType.L2_CNODE);
        init.delete(of(0, 1));
        assertThat(init.identify(of(1, 5)).type()).isEqualTo(CapType.FRAME);
        init.delete(CapAddress.cnode(1));
        refused(NOT_HELD, () -> init.identify(of(1, 5)));
        // The frame died with its CNode, so its memory is free again.
        init.retype(RAM, 16 * 1024, CapType.FRAME, PAGE, 1, of(0, 1));
    }

    @Test
    void revokingACNodeLeavesTheL1SlotRevoked() {
        init.retype(RAM, 0, CapType.L2_CNODE, 16 * 1024, 1, of(0, 1));
        init.copy(of(0, 1), CapAddress.cnode(2));
        init.revoke(of(0, 1));
        refused(REVOKED, () -> init.identify(of(2, 0)));
    }

    @Test
    void referencesTravelThroughATransferAndAreCheckedWhenAccepted() {
        CSpace peer = store.createCSpace("peer", 1);
        init.retype(RAM, 0, CapType.FRAME, PAGE, 2, of(0, 1));
        InProcessCapabilityTransfer transfer = new InProcessCapabilityTransfer();
        int wire = transfer.send(init.ref(of(0, 1)), false);
        peer.accept((CapRef) transfer.receive(wire), of(0, 0), false);
        assertThat(peer.identify(of(0, 0))).isEqualTo(init.identify(of(0, 1)));

        CapRef given = init.ref(of(0, 2));
        peer.accept(given, of(0, 1), true);
        refused(NOT_HELD, () -> init.identify(of(0, 2)));
        refused(NOT_HELD, () -> peer.accept(given, of(0, 2), false));

        CapRef stale = init.ref(of(0, 1));
        init.revoke(RAM);
        refused(REVOKED, () -> peer.accept(stale, of(0, 2), false));
        refused(REVOKED, () -> peer.identify(of(0, 0)));
    }

    @Test
    void foreignStoresAreRefused() {
        CapabilityStore core1 = new CapabilityStore(1);
        CSpace there = core1.createCSpace("there", 1);
        core1.createBoot(there, of(0, 0), CapType.RAM, 0, 16 * PAGE);
        CapRef alien = there.ref(of(0, 0));
        refused(FOREIGN_STORE, () -> init.accept(alien, of(0, 1), false));
        refused(FOREIGN_STORE, () -> init.copyTo(RAM, there, of(0, 1)));
        refused(FOREIGN_STORE, () -> store.remote.record(there, of(0, 0), 2));
        assertThat(alien.core()).isEqualTo(1);
    }

    @Test
    void bootMemoryNeverOverlaps() {
        refused(OVERLAP, () -> store.createBoot(init, of(0, 1), CapType.RAM, BASE + PAGE, PAGE));
        refused(WRONG_TYPE, () -> store.createBoot(init, of(0, 1), CapType.FRAME, 0, PAGE));
        refused(BAD_SIZE, () -> store.createBoot(init, of(0, 1), CapType.RAM, 100, PAGE));
    }

    @Test
    void operationsInvolvingOtherCoresNeedAnAgreement() {
        init.copy(RAM, of(0, 1));
        store.remote.record(init, RAM, 3);
        assertThat(store.remote.holders(init, of(0, 1))).containsExactly(3);
        refused(REMOTE_REQUIRED, () -> init.retype(RAM, 0, CapType.FRAME, PAGE, 1, of(0, 2)));
        refused(REMOTE_REQUIRED, () -> init.revoke(RAM));
        init.delete(of(0, 1));
        refused(REMOTE_REQUIRED, () -> init.delete(RAM));
        store.remote.forget(init, RAM, 3);
        init.retype(RAM, 0, CapType.FRAME, PAGE, 1, of(0, 2));

        store.monitorOps.createForeign(init, of(0, 9), CapType.RAM, 0, 16 * PAGE, Rights.ALL, 2);
        assertThat(init.identify(of(0, 9)).owner()).isEqualTo(2);
        refused(REMOTE_REQUIRED, () -> init.retype(of(0, 9), 0, CapType.FRAME, PAGE, 1, of(0, 10)));
        init.copy(of(0, 9), of(0, 10));
        init.delete(of(0, 10));
    }

    @Test
    void anApprovingAgreementLetsTheLocalPartProceed() {
        List<String> asked = new ArrayList<>();
        CapabilityStore agreed = new CapabilityStore(0, new CapabilityAgreement() {
            @Override
            public void retype(int core, CapIdentity source, Set<Integer> cores, long base, long bytes,
                    Decision decision) {
                asked.add("retype " + cores + " " + bytes);
                decision.agreed();
            }

            @Override
            public void revoke(int core, CapIdentity target, Set<Integer> cores, Decision decision) {
                asked.add("revoke " + cores);
                decision.agreed();
            }

            @Override
            public void deleteLast(int core, CapIdentity target, Set<Integer> cores, Decision decision) {
                asked.add("delete " + cores);
                decision.agreed();
            }
        });
        CSpace cs = agreed.createCSpace("init", 1);
        agreed.createBoot(cs, RAM, CapType.RAM, 0, 16 * PAGE);
        agreed.remote.record(cs, RAM, 1);
        cs.retype(RAM, 0, CapType.FRAME, PAGE, 1, of(0, 1));
        agreed.remote.record(cs, of(0, 1), 2);
        cs.revoke(RAM);
        assertThat(agreed.remote.holders(cs, RAM)).isEmpty();
        agreed.remote.record(cs, RAM, 1);
        cs.delete(RAM);
        assertThat(asked).containsExactly("retype [1] 4096", "revoke [1, 2]", "delete [1]");
    }

    @Test
    void theExampleInDocsCapabilitiesMd() {
        CapabilityStore core0 = new CapabilityStore(0);
        MemoryServer memServ = new MemoryServer(core0, List.of(new MemoryRegion(0, 0x0000_0000L, 1L << 30),
                new MemoryRegion(1, 0x4000_0000L, 1L << 30)));
        CSpace init = core0.createCSpace("init", 16);
        CapAddress ram = of(0, 0);
        assertThat(memServ.allocate(64 * 1024, List.of(1, 0), init, ram))
                .isEqualTo(new MemoryServer.Grant(1, 0x4000_0000L, 65536));
        init.retype(ram, 0, CapType.FRAME, 4096, 4, of(0, 1));
        init.mint(of(0, 1), of(0, 8), Rights.of(Right.READ, Right.IDENTIFY));
        assertThat(init.identify(of(0, 8))).hasToString("CapIdentity[type=FRAME, base=1073741824, size=4096, "
                + "rights=[READ, IDENTIFY], owner=0]");
        init.revoke(ram);
        assertThatThrownBy(() -> init.identify(of(0, 8)))
                .hasMessage("REVOKED: 0/8 held a capability that has been revoked");
    }

    @Test
    void interruptVectorRangesSplitWithoutOverlap() {
        store.createBoot(init, of(0, 9), CapType.IRQ_SRC, 32, 32);
        init.retype(of(0, 9), 0, CapType.IRQ_SRC, 16, 1, of(0, 10));
        init.retype(of(0, 9), 16, CapType.IRQ_SRC, 1, 3, of(0, 11));
        assertThat(init.identify(of(0, 12))).isEqualTo(new CapIdentity(CapType.IRQ_SRC, 49, 1, Rights.ALL, 0));
        refused(OVERLAP, () -> init.retype(of(0, 9), 8, CapType.IRQ_SRC, 1, 1, of(0, 14)));
        refused(OVERLAP, () -> store.createBoot(init, of(0, 14), CapType.IRQ_SRC, 60, 8));
        // Vectors are not memory: an IRQ range and RAM may share numbers.
        store.createBoot(init, of(0, 14), CapType.IRQ_SRC, BASE, 8);
    }

    @Test
    void hugeCountsAreRefusedNotOverflowed() {
        init.retype(RAM, 0, CapType.DISPATCHER, 1024, 1, of(0, 1));
        refused(BAD_ADDRESS, () -> init.retype(of(0, 1), 0, CapType.END_POINT_LMP, 0, Integer.MAX_VALUE, of(0, 2)));
        refused(OUT_OF_RANGE, () -> init.retype(RAM, 0, CapType.FRAME, PAGE, Integer.MAX_VALUE, of(0, 2)));
    }
}
