package io.flotilla.plugins.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.kernel.cap.CSpace;
import io.flotilla.kernel.cap.CapAddress;
import io.flotilla.kernel.cap.CapType;
import io.flotilla.cap.CapabilityException;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Retype, revoke, delete and send of capabilities across the cores of a booted multikernel, through agreement. */
class CrossCoreCapabilityTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final long PAGE = 4096;
    static final CapAddress RAM = CapAddress.of(0, 0);

    /** A booted multikernel whose cores run scripted capability operations at given times. */
    static final class Bench {
        final int cores;
        final AgreementMonitors agreement;
        final CapabilityMonitors caps;
        final CSpace[] init;
        final Step[] steps;
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        Bench(int cores) {
            this.cores = cores;
            this.agreement = new AgreementMonitors(cores, Fanout.MULTICAST);
            this.caps = new CapabilityMonitors(agreement);
            this.init = new CSpace[cores];
            this.steps = new Step[cores];
            for (int c = 0; c < cores; c++) {
                init[c] = caps.monitor(c).createCSpace("init", 4);
                steps[c] = new Step();
            }
            caps.monitor(0).store().createBoot(init[0], RAM, CapType.RAM, 0x10_0000, 64 * PAGE);
        }

        /** Runs {@code action} on {@code core} at {@code cycles}. */
        Bench at(int core, long cycles, Consumer<Step> action) {
            steps[core].plan.add(new Object[] {cycles, action});
            return this;
        }

        List<String> run(Platform platform, long limitMillis) {
            List<String> failures = new ArrayList<>();
            Multikernel.Builder builder = Multikernel.builder(AMD, platform).cores(cores)
                    .dispatchers(c -> agreement.monitor(c))
                    .onFailure(f -> failures.add(f + " " + f.cause()))
                    .out(null);
            for (int c = 0; c < cores; c++) {
                builder.dispatcher(c, steps[c]);
            }
            try (Multikernel mk = builder.boot()) {
                mk.run(Duration.ofMillis(limitMillis));
            }
            failures.addAll(agreement.errors());
            return failures;
        }

        /** {@code what} finished with {@code error} (null: success), recorded in the log. */
        CapabilityOperationsLog note(int core, String what) {
            return error -> log.add(core + " " + what + " " + (error == null ? "ok" : error.kind()));
        }
    }

    interface CapabilityOperationsLog extends io.flotilla.kernel.cap.CapContinuation {}

    static final class Step extends Dispatcher {
        final List<Object[]> plan = new ArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        protected void onStart() {
            for (Object[] p : plan) {
                after((Long) p[0], () -> ((Consumer<Step>) p[1]).accept(this));
            }
        }
    }

    static CapabilityException.Kind kindAt(CSpace cs, CapAddress at) {
        try {
            cs.identify(at);
            return null;
        } catch (CapabilityException e) {
            return e.kind();
        }
    }

    /** Core 0 owns 64 KiB of RAM and sends a copy to each of {@code to}. */
    static void share(Bench b, int... to) {
        b.at(0, 0, s -> {
            for (int c : to) {
                b.caps.monitor(0).send(b.init[0], RAM, c, 0, RAM, false, b.note(0, "send to " + c));
            }
        });
    }

    @Test
    void concurrentRetypesOfTheSameRamOnTwoCoresExactlyOneWins() {
        for (int[] pair : new int[][] {{1, 2}, {0, 5}, {9, 30}}) {
            Bench b = new Bench(32);
            share(b, 1, 2, 5, 9, 30);
            for (int c : pair) {
                b.at(c, 2_000_000, s -> b.init[c].retype(RAM, 4 * PAGE, CapType.FRAME, PAGE, 2, CapAddress.of(0, 1),
                        b.note(c, "retype")));
            }
            assertEquals(List.of(), b.run(new SimPlatform(pair[1]), 100));
            List<String> outcomes = b.log.stream().filter(l -> l.contains("retype")).sorted().toList();
            assertEquals(2, outcomes.size(), b.log.toString());
            long wins = outcomes.stream().filter(l -> l.endsWith("ok")).count();
            assertEquals(1, wins, outcomes.toString());
            assertTrue(outcomes.stream().anyMatch(l -> l.endsWith("retype OVERLAP")), outcomes.toString());
            int winner = Integer.parseInt(outcomes.stream().filter(l -> l.endsWith("ok")).findFirst().get()
                    .split(" ")[0]);
            int loser = pair[0] == winner ? pair[1] : pair[0];
            assertEquals(CapType.FRAME, b.init[winner].identify(CapAddress.of(0, 1)).type());
            assertEquals(CapabilityException.Kind.NOT_HELD, kindAt(b.init[loser], CapAddress.of(0, 1)));
        }
    }

    @Test
    void aRetypeOverADescendantOnAnotherCoreIsRefusedAndADisjointOneIsNot() {
        Bench b = new Bench(8);
        share(b, 3, 6);
        b.at(3, 1_000_000, s -> b.init[3].retype(RAM, 0, CapType.FRAME, 4 * PAGE, 1, CapAddress.of(0, 1),
                b.note(3, "retype first")));
        b.at(0, 3_000_000, s -> b.init[0].retype(RAM, PAGE, CapType.FRAME, PAGE, 1, CapAddress.of(0, 1),
                b.note(0, "retype overlapping")));
        b.at(6, 3_000_000, s -> b.init[6].retype(RAM, 8 * PAGE, CapType.FRAME, PAGE, 1, CapAddress.of(0, 1),
                b.note(6, "retype disjoint")));
        // Once core 3 lets its frame go, the memory may be retyped again.
        b.at(3, 5_000_000, s -> b.init[3].delete(CapAddress.of(0, 1), b.note(3, "delete")));
        b.at(0, 7_000_000, s -> b.init[0].retype(RAM, PAGE, CapType.FRAME, PAGE, 1, CapAddress.of(0, 2),
                b.note(0, "retype again")));
        assertEquals(List.of(), b.run(new SimPlatform(4), 100));
        assertTrue(b.log.contains("3 retype first ok"), b.log.toString());
        assertTrue(b.log.contains("0 retype overlapping OVERLAP"), b.log.toString());
        assertTrue(b.log.contains("6 retype disjoint ok"), b.log.toString());
        assertTrue(b.log.contains("3 delete ok"), b.log.toString());
        assertTrue(b.log.contains("0 retype again ok"), b.log.toString());
    }

    @Test
    void aDescendantThatArrivedFromAnotherCoreBlocksARetypeHere() {
        // Core 1 makes a frame and gives it to core 2, so that only core 2 holds it: core 2's own check must find
        // it by memory, since it is not linked under core 2's copy of the RAM and no other core can report it.
        Bench b = new Bench(4);
        share(b, 1, 2);
        b.at(1, 1_000_000, s -> b.init[1].retype(RAM, 0, CapType.FRAME, PAGE, 1, CapAddress.of(0, 1),
                b.note(1, "retype")));
        b.at(1, 2_000_000, s -> b.caps.monitor(1).send(b.init[1], CapAddress.of(0, 1), 2, 0, CapAddress.of(0, 5),
                true, b.note(1, "give frame")));
        b.at(2, 3_000_000, s -> b.init[2].retype(RAM, 0, CapType.RAM, 2 * PAGE, 1, CapAddress.of(0, 1),
                b.note(2, "retype over it")));
        assertEquals(List.of(), b.run(new SimPlatform(8), 100));
        assertTrue(b.log.containsAll(List.of("1 retype ok", "1 give frame ok", "2 retype over it OVERLAP")),
                b.log.toString());
        assertEquals(CapabilityException.Kind.NOT_HELD, kindAt(b.init[1], CapAddress.of(0, 1)));
    }

    @Test
    void revokeOnOneCoreRemovesCopiesAndDescendantsOnOthers() {
        Bench b = new Bench(16);
        share(b, 1, 2);
        b.at(1, 1_000_000, s -> b.init[1].retype(RAM, 0, CapType.FRAME, PAGE, 1, CapAddress.of(0, 1),
                b.note(1, "retype")));
        b.at(1, 2_000_000, s -> b.caps.monitor(1).send(b.init[1], CapAddress.of(0, 1), 13, 0, CapAddress.of(0, 7),
                false, b.note(1, "send frame")));
        b.at(0, 4_000_000, s -> b.init[0].revoke(RAM, b.note(0, "revoke")));
        b.at(0, 6_000_000, s -> b.init[0].retype(RAM, 0, CapType.FRAME, PAGE, 1, CapAddress.of(0, 1),
                b.note(0, "retype after revoke")));
        assertEquals(List.of(), b.run(new SimPlatform(5), 100));
        assertTrue(b.log.containsAll(List.of("1 retype ok", "1 send frame ok", "0 revoke ok",
                "0 retype after revoke ok")), b.log.toString());
        assertEquals(CapabilityException.Kind.REVOKED, kindAt(b.init[1], RAM));
        assertEquals(CapabilityException.Kind.REVOKED, kindAt(b.init[1], CapAddress.of(0, 1)));
        assertEquals(CapabilityException.Kind.REVOKED, kindAt(b.init[2], RAM));
        assertEquals(CapabilityException.Kind.REVOKED, kindAt(b.init[13], CapAddress.of(0, 7)));
        assertNull(kindAt(b.init[0], RAM));
    }

    @Test
    void sentCapabilitiesKeepTheirRightsAndAnOccupiedSlotRefuses() {
        Bench b = new Bench(4);
        b.at(0, 0, s -> {
            b.init[0].mint(RAM, CapAddress.of(0, 3), io.flotilla.kernel.cap.Rights.of(io.flotilla.kernel.cap.Right.GRANT,
                    io.flotilla.kernel.cap.Right.IDENTIFY));
            b.caps.monitor(0).send(b.init[0], CapAddress.of(0, 3), 2, 0, CapAddress.of(0, 4), true,
                    b.note(0, "give away"));
            b.caps.monitor(0).send(b.init[0], RAM, 2, 0, CapAddress.of(0, 4), false, b.note(0, "send to full"));
        });
        b.at(2, 1_000_000, s -> b.init[2].retype(CapAddress.of(0, 4), 0, CapType.FRAME, PAGE, 1, CapAddress.of(0, 5),
                b.note(2, "retype without WRITE")));
        assertEquals(List.of(), b.run(new SimPlatform(6), 100));
        assertTrue(b.log.containsAll(List.of("0 give away ok", "0 send to full SLOT_OCCUPIED",
                "2 retype without WRITE NO_RIGHTS")), b.log.toString());
        assertEquals(CapabilityException.Kind.NOT_HELD, kindAt(b.init[0], CapAddress.of(0, 3)));
        var arrived = b.init[2].identify(CapAddress.of(0, 4));
        assertEquals(0, arrived.owner());
        assertEquals(io.flotilla.kernel.cap.Rights.of(io.flotilla.kernel.cap.Right.GRANT, io.flotilla.kernel.cap.Right.IDENTIFY),
                arrived.rights());
    }

    @Test
    void pinnedCoresRacingToRetypeTheSameRangeNeverBothWin() {
        int rounds = 20;
        Bench b = new Bench(2);
        share(b, 1);
        for (int r = 0; r < rounds; r++) {
            int round = r;
            // A second for the copy to arrive (binding the monitors on a loaded host), then rounds 2 ms apart at the
            // machine's 2 GHz: each race settles before the next.
            long t = 2_000_000_000L + r * 4_000_000L;
            for (int c = 0; c < 2; c++) {
                int core = c;
                b.at(c, t, s -> b.init[core].retype(RAM, round * PAGE, CapType.FRAME, PAGE, 1,
                        CapAddress.of(0, 1 + round), b.note(core, "round " + round)));
            }
        }
        assertEquals(List.of(), b.run(new PinnedPlatform(), 5_000));
        assertTrue(b.log.contains("0 send to 1 ok"), b.log.toString());
        for (int r = 0; r < rounds; r++) {
            String tag = "round " + r + " ";
            List<String> outcomes = b.log.stream().filter(l -> l.contains(tag)).toList();
            assertEquals(2, outcomes.size(), tag + b.log);
            // The owner's reservation and its grant to the other core exclude each other: one wins, never both.
            assertEquals(1, outcomes.stream().filter(l -> l.endsWith("ok")).count(), outcomes.toString());
            assertTrue(outcomes.stream().allMatch(l -> l.endsWith("ok") || l.endsWith("OVERLAP")),
                    outcomes.toString());
        }
        // Whatever the interleaving, the cores together hold at most one frame per page.
        for (int r = 0; r < rounds; r++) {
            int held = (kindAt(b.init[0], CapAddress.of(0, 1 + r)) == null ? 1 : 0)
                    + (kindAt(b.init[1], CapAddress.of(0, 1 + r)) == null ? 1 : 0);
            assertEquals(1, held, "round " + r);
        }
    }
}
