package io.flotilla.kernel.cap;

import io.flotilla.agreement.AgreementMonitors;
import io.flotilla.agreement.Fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.binding.Binding;
import io.flotilla.binding.BindingException;
import io.flotilla.cap.Capability;
import io.flotilla.cap.CapabilityException;
import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.binding.CapabilityTransferException;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.plugins.agreement.generated.CapGift;
import io.flotilla.plugins.agreement.generated.CapGiftCodec;
import io.flotilla.plugins.agreement.generated.CapGiftHandler;
import io.flotilla.plugins.agreement.generated.CapGiftStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Capabilities carried by messages of a generated interface between dispatchers on different cores. */
class CapabilityMessagesTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final long PAGE = 4096;
    static final long RAM_BASE = 0x10_0000;
    static final CapAddress RAM = CapAddress.of(0, 0);
    /** The receiver's capabilities arrive in the L2 CNode of its L1 slot 1. */
    static final int RECEIVE_L1 = 1;

    /** A client on one core that sends to a server on another through {@code cap_gift}, with capability transfer. */
    final class Rig {
        final AgreementMonitors agreement;
        final CapabilityMonitors caps;
        final CapabilityBindings bindings;
        final CSpace clientCs;
        final CSpace serverCs;
        final Server server;
        final Client client;
        final int clientCore;
        final int serverCore;
        final int cores;

        Rig(int cores, int clientCore, int serverCore, int expected, BiConsumer<Client, CapGiftStub> script) {
            this(cores, clientCore, serverCore, expected, RECEIVE_L1, script);
        }

        Rig(int cores, int clientCore, int serverCore, int expected, int serverReceiveL1,
                BiConsumer<Client, CapGiftStub> script) {
            this.cores = cores;
            this.clientCore = clientCore;
            this.serverCore = serverCore;
            agreement = new AgreementMonitors(cores, Fanout.MULTICAST);
            caps = new CapabilityMonitors(agreement);
            bindings = new CapabilityBindings(agreement, caps);
            clientCs = caps.monitor(clientCore).createCSpace("client", 4);
            serverCs = caps.monitor(serverCore).createCSpace("server", 4);
            caps.monitor(clientCore).store().createBoot(clientCs, RAM, CapType.RAM, RAM_BASE, 64 * PAGE);
            // A second L2 CNode for the server's receive slots, as a dispatcher would retype one from its RAM.
            caps.monitor(serverCore).store().createBoot(serverCs, CapAddress.of(0, 0), CapType.RAM, 0x80_0000,
                    64 * PAGE);
            serverCs.retype(CapAddress.of(0, 0), 0, CapType.L2_CNODE, 16 * 1024, 1, CapAddress.of(0, 1));
            serverCs.copy(CapAddress.of(0, 1), CapAddress.cnode(RECEIVE_L1));
            server = new Server(expected);
            client = new Client(script);
            bindings.attach(server, serverCs, serverReceiveL1);
            bindings.attach(client, clientCs, RECEIVE_L1);
        }

        List<String> run(Platform platform, long limitMillis) {
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            try (Multikernel mk = Multikernel.builder(AMD, platform).cores(cores)
                    .dispatchers(c -> agreement.monitor(c))
                    .capabilityTransfers(bindings)
                    .dispatcher(serverCore, server)
                    .dispatcher(clientCore, client)
                    .onFailure(f -> failures.add(f + " " + f.cause()))
                    .out(null)
                    .boot()) {
                mk.run(Duration.ofMillis(limitMillis));
            }
            failures.addAll(agreement.errors());
            return failures;
        }
    }

    /** Records every message with what the capability it carried is, in the server's own CSpace. */
    final class Server extends Dispatcher {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        /** Errors on the binding: the generated decoder reports a refused capability as a BindingException. */
        final List<BindingException> refused = Collections.synchronizedList(new ArrayList<>());
        final List<CapAddress> received = Collections.synchronizedList(new ArrayList<>());
        final int expected;
        CSpace cs;

        Server(int expected) {
            this.expected = expected;
        }

        @Override
        protected void onStart() {
            export("gift", binding -> {
                binding.setErrorHandler(e -> {
                    refused.add(e);
                    done();
                });
                CapGift.bind(binding, new CapGiftHandler() {
                    @Override
                    public void lend(long tag, Capability c) {
                        got("lend", tag, c);
                    }

                    @Override
                    public void give(long tag, Capability c) {
                        got("give", tag, c);
                    }

                    @Override
                    public void note(long tag) {
                        log.add("note " + tag);
                        done();
                    }
                });
                return true;
            });
        }

        void got(String what, long tag, Capability c) {
            CapRef ref = (CapRef) c;
            CSpace mine = rig().serverCs;
            CapIdentity id = mine.identify(ref.address());
            mine.invoke(ref.address(), CapType.RAM, Right.READ);
            received.add(ref.address());
            log.add(what + " " + tag + " " + id.type() + " " + Long.toHexString(id.base()) + " owner " + id.owner()
                    + " on " + ref.core());
            done();
        }

        void done() {
            if (log.size() + refused.size() == expected) {
                stopKernel();
            }
        }
    }

    /** Binds to the server and runs a script on the bound stub. */
    final class Client extends Dispatcher {
        final BiConsumer<Client, CapGiftStub> script;
        Binding binding;

        Client(BiConsumer<Client, CapGiftStub> script) {
            this.script = script;
        }

        @Override
        protected void onStart() {
            bind("gift", (b, error) -> {
                assertEquals(null, error);
                binding = b;
                script.accept(this, CapGift.bind(b, new CapGiftHandler() {}));
            });
        }
    }

    private Rig rig;

    Rig rig() {
        return rig;
    }

    Rig rig(int cores, int clientCore, int serverCore, int expected, BiConsumer<Client, CapGiftStub> script) {
        rig = new Rig(cores, clientCore, serverCore, expected, script);
        return rig;
    }

    static CapabilityException.Kind kindAt(CSpace cs, CapAddress at) {
        try {
            cs.identify(at);
            return null;
        } catch (CapabilityException e) {
            return e.kind();
        }
    }

    @Test
    void aLentCapabilityArrivesInTheReceiversCSpaceBeforeItsMessageAndBeforeLaterOnes() {
        List<String> heldAfterSend = new ArrayList<>();
        Rig r = rig(8, 0, 5, 3, (client, stub) -> {
            CSpace cs = rig().clientCs;
            cs.copy(RAM, CapAddress.of(0, 1));
            stub.lend(1, cs.ref(CapAddress.of(0, 1)));
            stub.note(2);
            stub.note(3);
            // Held at the sender until core 5's monitor has installed the capability: nothing is in the channel.
            heldAfterSend.add(client.binding.holds() + " holds, " + client.binding.queuedFrames() + " frames queued");
        });
        assertEquals(List.of(), r.run(new SimPlatform(7), 50));
        assertEquals(List.of("1 holds, 3 frames queued"), heldAfterSend);
        assertEquals(List.of("lend 1 RAM 100000 owner 0 on 5", "note 2", "note 3"), r.server.log);
        assertEquals(List.of(), r.server.refused);
        // A copy: the sender keeps its own, with the same rights, and knows core 5 holds one.
        CapIdentity mine = r.clientCs.identify(CapAddress.of(0, 1));
        CapIdentity theirs = r.serverCs.identify(r.server.received.get(0));
        assertEquals(mine, theirs);
        assertEquals(Rights.ALL, theirs.rights());
        assertEquals(java.util.Set.of(5), r.caps.monitor(0).store().remote.holders(r.clientCs, CapAddress.of(0, 1)));
        assertEquals(RECEIVE_L1, r.server.received.get(0).l1());
    }

    @Test
    void aGivenAwayCapabilityLeavesTheSenderOnlyOnceTheReceiverHoldsIt() {
        List<CapabilityException.Kind> whileTravelling = new ArrayList<>();
        Rig r = rig(8, 0, 5, 1, (client, stub) -> {
            CSpace cs = rig().clientCs;
            cs.mint(RAM, CapAddress.of(0, 2), Rights.of(Right.READ, Right.GRANT, Right.IDENTIFY));
            stub.give(7, cs.ref(CapAddress.of(0, 2)));
            whileTravelling.add(kindAt(cs, CapAddress.of(0, 2)));
        });
        assertEquals(List.of(), r.run(new SimPlatform(8), 50));
        assertEquals(java.util.Collections.singletonList(null), whileTravelling);
        assertEquals(List.of("give 7 RAM 100000 owner 0 on 5"), r.server.log);
        assertEquals(CapabilityException.Kind.NOT_HELD, kindAt(r.clientCs, CapAddress.of(0, 2)));
        assertEquals(Rights.of(Right.READ, Right.GRANT, Right.IDENTIFY),
                r.serverCs.identify(r.server.received.get(0)).rights());
        assertNotNull(r.clientCs.identify(RAM)); // the other copy stays
    }

    @Test
    void aCapabilityRevokedBeforeItArrivesIsRefusedByTheReceiver() {
        Rig r = rig(8, 0, 5, 2, (client, stub) -> {
            CSpace cs = rig().clientCs;
            cs.copy(RAM, CapAddress.of(0, 3));
            stub.lend(1, cs.ref(CapAddress.of(0, 3)));
            cs.revoke(RAM); // deletes the copy in transit
            stub.note(2);
        });
        assertEquals(List.of(), r.run(new SimPlatform(9), 50));
        assertEquals(1, r.server.refused.size(), r.server.refused.toString());
        assertTrue(r.server.refused.get(0).getMessage().contains("REVOKED"), r.server.refused.toString());
        assertEquals(List.of("note 2"), r.server.log);
        // The receiver kept nothing: its receive slots are empty.
        for (int s = 0; s < 4; s++) {
            assertEquals(CapabilityException.Kind.NOT_HELD, kindAt(r.serverCs, CapAddress.of(RECEIVE_L1, s)));
        }
    }

    @Test
    void forgedAndStaleReferenceNumbersAreRefusedWithABindingException() {
        Rig r = rig(8, 0, 5, 4, (client, stub) -> {
            CSpace cs = rig().clientCs;
            int[] real = new int[1];
            CapabilityTransfer forger = new CapabilityTransfer() {
                @Override
                public int send(Capability cap, boolean giveAway) {
                    return cap == null ? 77 : real[0];
                }

                @Override
                public Capability receive(int reference) {
                    return null;
                }
            };
            CapGiftCodec forged = new CapGiftCodec(client.binding, forger);
            forged.encodeLend(0, 1, null); // reference 77: nothing was ever sent under it
            cs.copy(RAM, CapAddress.of(0, 4));
            CapRef ref = cs.ref(CapAddress.of(0, 4));
            real[0] = client.binding.caps().send(ref, false); // a real transfer, whose message is written below
            forged.encodeLend(0, 2, ref);
            forged.encodeLend(0, 3, ref); // the same number again: received already
            stub.note(4);
        });
        assertEquals(List.of(), r.run(new SimPlatform(10), 50));
        assertEquals(List.of("lend 2 RAM 100000 owner 0 on 5", "note 4"), r.server.log);
        assertEquals(2, r.server.refused.size());
        assertTrue(r.server.refused.get(0).getMessage().contains("NOT_HELD: no capability arrived under reference 77"),
                r.server.refused.toString());
        assertTrue(r.server.refused.get(1).getMessage().contains("NOT_HELD: no capability arrived under reference "
                + "1 (forged, or received already)"), r.server.refused.toString());
        // the decoder keeps the transfer's own exception as the cause, so the kind is typed, not only text
        for (BindingException e : r.server.refused) {
            assertEquals(io.flotilla.cap.CapabilityException.Kind.NOT_HELD,
                    ((CapabilityTransferException) e.getCause()).kind(), e.toString());
        }
    }

    @Test
    void aCapabilityTheSenderDoesNotHoldOrMayNotGrantFailsTheSendAndSendsNothing() {
        List<String> outcomes = new ArrayList<>();
        Rig r = rig(8, 0, 5, 1, (client, stub) -> {
            CSpace cs = rig().clientCs;
            cs.copy(RAM, CapAddress.of(0, 5));
            CapRef gone = cs.ref(CapAddress.of(0, 5));
            cs.delete(CapAddress.of(0, 5));
            CapabilityTransferException notHeld = assertThrows(CapabilityTransferException.class,
                    () -> stub.lend(1, gone));
            outcomes.add(notHeld.kind().toString());
            CapabilityTransferException notARef = assertThrows(CapabilityTransferException.class,
                    () -> stub.lend(2, new Capability() {}));
            outcomes.add(notARef.kind().toString());
            cs.mint(RAM, CapAddress.of(0, 6), Rights.of(Right.READ, Right.IDENTIFY));
            CapabilityException noGrant = assertThrows(CapabilityException.class, () -> cs.ref(CapAddress.of(0, 6)));
            outcomes.add(noGrant.kind().toString());
            outcomes.add(client.binding.holds() + " holds, " + client.binding.queuedFrames() + " frames queued");
            stub.note(3);
        });
        assertEquals(List.of(), r.run(new SimPlatform(11), 50));
        assertEquals(List.of("NOT_HELD", "FOREIGN_STORE", "NO_RIGHTS", "0 holds, 0 frames queued"), outcomes);
        assertEquals(List.of("note 3"), r.server.log);
        assertEquals(List.of(), r.server.refused);
    }

    @Test
    void aCapabilityTheReceiverCannotPlaceIsRefusedThereAndAGiveAwayKeepsTheSendersCopy() {
        rig = new Rig(8, 0, 5, 2, 3, (client, stub) -> { // L1 slot 3 of the server's CSpace holds no CNode
            CSpace cs = rig().clientCs;
            cs.copy(RAM, CapAddress.of(0, 1));
            stub.give(1, cs.ref(CapAddress.of(0, 1)));
            stub.note(2);
        });
        assertEquals(List.of(), rig.run(new SimPlatform(13), 50));
        assertEquals(List.of("note 2"), rig.server.log);
        assertEquals(1, rig.server.refused.size());
        assertTrue(rig.server.refused.get(0).getMessage().contains("capability 1 did not arrive: NOT_HELD"),
                rig.server.refused.toString());
        assertNotNull(rig.clientCs.identify(CapAddress.of(0, 1)));
        assertEquals(java.util.Set.of(), rig.caps.monitor(0).store().remote.holders(rig.clientCs,
                CapAddress.of(0, 1)));
    }

    @Test
    void aDispatcherAttachedToAnotherCoresCSpaceGetsABindingThatRefusesCapabilities() {
        List<String> outcomes = new ArrayList<>();
        Rig r = rig(8, 0, 5, 1, (client, stub) -> {
            CSpace cs = rig().clientCs;
            CapabilityTransferException e = assertThrows(CapabilityTransferException.class,
                    () -> stub.lend(1, cs.ref(RAM)));
            outcomes.add(e.kind() + " " + e.getMessage().contains("runs on core 5 but was attached to"));
            stub.note(2);
        });
        r.bindings.attach(r.server, r.caps.monitor(4).createCSpace("elsewhere", 2), 0);
        assertEquals(List.of(), r.run(new SimPlatform(14), 50));
        assertEquals(List.of("FOREIGN_STORE true"), outcomes);
        assertEquals(List.of("note 2"), r.server.log);
    }

    @Test
    void onOneCoreTheCopyIsInstalledAtOnceAndNothingIsHeld() {
        List<String> held = new ArrayList<>();
        Rig r = rig(8, 3, 3, 2, (client, stub) -> {
            CSpace cs = rig().clientCs;
            cs.copy(RAM, CapAddress.of(0, 1));
            stub.give(1, cs.ref(CapAddress.of(0, 1)));
            held.add(client.binding.holds() + " holds, " + kindAt(cs, CapAddress.of(0, 1)));
            stub.note(2);
        });
        assertEquals(List.of(), r.run(new SimPlatform(12), 50));
        assertEquals(List.of("0 holds, NOT_HELD"), held);
        assertEquals(List.of("give 1 RAM 100000 owner 3 on 3", "note 2"), r.server.log);
    }

    @Test
    void capabilitiesTravelBetweenTwoPinnedCores() {
        Rig r = rig(2, 0, 1, 3, (client, stub) -> {
            CSpace cs = rig().clientCs;
            cs.copy(RAM, CapAddress.of(0, 1));
            cs.copy(RAM, CapAddress.of(0, 2));
            stub.lend(1, cs.ref(CapAddress.of(0, 1)));
            stub.give(2, cs.ref(CapAddress.of(0, 2)));
            stub.note(3);
        });
        assertEquals(List.of(), r.run(new PinnedPlatform(), 10_000));
        assertEquals(List.of("lend 1 RAM 100000 owner 0 on 1", "give 2 RAM 100000 owner 0 on 1", "note 3"),
                r.server.log);
        assertEquals(CapabilityException.Kind.NOT_HELD, kindAt(r.clientCs, CapAddress.of(0, 2)));
        assertNotNull(r.clientCs.identify(CapAddress.of(0, 1)));
    }
}
