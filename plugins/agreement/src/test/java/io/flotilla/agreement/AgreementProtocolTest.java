package io.flotilla.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** One-phase and two-phase commit among the agreement monitors of the simulated 8x4-core AMD and of pinned cores. */
class AgreementProtocolTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final int OP = 7;

    /** Records what one core's voter saw, in order. */
    static final class Log implements Voter {
        final int core;
        final int refuseOdd;
        final List<String> seen = new ArrayList<>();

        Log(int core, boolean refuseOdd) {
            this.core = core;
            this.refuseOdd = refuseOdd ? 42 : 0;
        }

        @Override
        public int prepare(Proposal p) {
            seen.add("prepare " + p.a0());
            return p.a0() % 2 == 1 ? refuseOdd : YES;
        }

        @Override
        public void commit(Proposal p) {
            seen.add("commit " + p.a0());
        }

        @Override
        public void abort(Proposal p) {
            seen.add("abort " + p.a0());
        }

        List<String> of(String kind) {
            return seen.stream().filter(s -> s.startsWith(kind)).toList();
        }
    }

    /** Proposes 0..n-1 with at most {@code window} in flight; records decisions and completions in order. */
    static final class Driver extends Dispatcher implements Outcome {
        final AgreementMonitors monitors;
        final String protocol;
        final CoreSet participants;
        final int n;
        final int window;
        final List<String> decided = new ArrayList<>();
        final List<Long> completed = new ArrayList<>();
        final List<Long> ids = new ArrayList<>();
        Agreement agreement;
        int issued;

        Driver(AgreementMonitors monitors, String protocol, CoreSet participants, int n, int window) {
            this.monitors = monitors;
            this.protocol = protocol;
            this.participants = participants;
            this.n = n;
            this.window = window;
        }

        @Override
        protected void onStart() {
            agreement = protocol.equals("skb:put")
                    ? monitors.service(core()).select("put", participants)
                    : monitors.service(core()).agreement(protocol);
            fill();
        }

        void fill() {
            while (issued < n && issued - completed.size() < window) {
                ids.add(agreement.propose(OP, issued++, 0, 0, 0, participants, this));
            }
        }

        @Override
        public void decided(Proposal p, boolean committed, int refusal, int refuser) {
            decided.add(p.a0() + (committed ? " committed" : " aborted " + refusal + " by " + refuser));
        }

        @Override
        public void completed(Proposal p, boolean committed) {
            completed.add(p.a0());
            if (completed.size() == n) {
                stopKernel();
            } else {
                fill();
            }
        }
    }

    record Run(Driver driver, Log[] logs, AgreementMonitors monitors, List<String> failures, long hash) {}

    static Run run(Machine machine, Platform platform, int cores, int coordinator, CoreSet participants,
            String protocol, Fanout fanout, int n, int window, int refuser) {
        AgreementMonitors monitors = new AgreementMonitors(cores, fanout);
        Log[] logs = new Log[cores];
        for (int c = 0; c < cores; c++) {
            logs[c] = new Log(c, c == refuser);
            monitors.service(c).register(OP, logs[c]);
        }
        Driver driver = new Driver(monitors, protocol, participants, n, window);
        List<String> failures = new ArrayList<>();
        try (Multikernel mk = Multikernel.builder(machine, platform).cores(cores)
                .dispatchers(monitors::monitor)
                .dispatcher(coordinator, driver)
                .onFailure(f -> failures.add(f.toString() + " " + f.cause()))
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(30));
            failures.addAll(monitors.errors());
            return new Run(driver, logs, monitors, failures, mk.traceHash().orElse(0));
        }
    }

    static List<Long> upTo(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} over {1} on {2} cores, window {3}")
    @CsvSource({
        "two-phase, MULTICAST, 2, 1", "two-phase, MULTICAST, 3, 4", "two-phase, MULTICAST, 8, 8",
        "two-phase, MULTICAST, 13, 16", "two-phase, MULTICAST, 32, 16", "two-phase, UNICAST, 32, 16",
        "two-phase, UNICAST, 5, 1", "one-phase, MULTICAST, 2, 4", "one-phase, MULTICAST, 32, 16",
        "one-phase, UNICAST, 16, 8"})
    void everyCoreAppliesEveryOperationInOrder(String protocol, Fanout fanout, int cores, int window) {
        int n = 40;
        Run r = run(AMD, new SimPlatform(7), cores, 0, CoreSet.range(0, cores), protocol, fanout, n, window, -1);
        assertEquals(List.of(), r.failures());
        assertEquals(upTo(n), r.driver().completed, "completions come back in proposal order");
        List<String> commits = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            commits.add("commit " + i);
        }
        for (Log log : r.logs()) {
            assertEquals(commits, log.of("commit"), "core " + log.core);
            assertEquals(protocol.equals(Agreement.TWO_PHASE) ? n : 0, log.of("prepare").size(), "core " + log.core);
        }
        assertTrue(r.driver().decided.stream().allMatch(s -> s.endsWith("committed")));
        assertEquals(0, r.driver().agreement.inFlight());
    }

    @Test
    void aParticipantsNoAbortsTheOperationEverywhere() {
        int cores = 32;
        int refuser = 21;
        Run r = run(AMD, new SimPlatform(3), cores, 4, CoreSet.range(0, cores), Agreement.TWO_PHASE,
                Fanout.MULTICAST, 20, 6, refuser);
        assertEquals(List.of(), r.failures());
        for (int i = 0; i < 20; i++) {
            assertEquals(i + (i % 2 == 1 ? " aborted 42 by " + refuser : " committed"), r.driver().decided.get(i));
        }
        for (Log log : r.logs()) {
            for (int i = 0; i < 20; i++) {
                boolean refused = i % 2 == 1;
                assertEquals(!refused, log.seen.contains("commit " + i), "core " + log.core + " op " + i);
                // Every core that said yes is told to let go; the refuser, which said no, is not.
                assertEquals(refused && log.core != refuser, log.seen.contains("abort " + i),
                        "core " + log.core + " op " + i);
            }
        }
        assertEquals(upTo(20), r.driver().completed);
    }

    @Test
    void aSubsetOfCoresAgreesFromACoordinatorOutsideIt() {
        CoreSet some = CoreSet.of(1, 3, 9, 10, 11, 30);
        for (Fanout f : Fanout.values()) {
            Run r = run(AMD, new SimPlatform(9), 32, 17, some, Agreement.TWO_PHASE, f, 12, 4, -1);
            assertEquals(List.of(), r.failures());
            for (Log log : r.logs()) {
                assertEquals(some.contains(log.core) ? 12 : 0, log.of("commit").size(), f + " core " + log.core);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameTraceAndAnotherSeedStillAgrees() {
        Run a = run(AMD, new SimPlatform(11), 16, 0, CoreSet.range(0, 16), Agreement.TWO_PHASE, Fanout.MULTICAST,
                30, 8, 5);
        Run b = run(AMD, new SimPlatform(11), 16, 0, CoreSet.range(0, 16), Agreement.TWO_PHASE, Fanout.MULTICAST,
                30, 8, 5);
        assertEquals(a.hash(), b.hash());
        assertNotEquals(0, a.hash());
        assertEquals(a.driver().decided, b.driver().decided);
    }

    @Test
    void theSkbRuleAndNamesPickTheProtocol() {
        Run r = run(AMD, new SimPlatform(1), 4, 0, CoreSet.range(0, 4), "skb:put", Fanout.MULTICAST, 3, 1, -1);
        assertEquals(List.of(), r.failures());
        assertEquals(Agreement.TWO_PHASE, r.driver().agreement.protocol());
        AgreementMonitors m = new AgreementMonitors(2, Fanout.UNICAST);
        var e = assertThrows(IllegalArgumentException.class, () -> m.service(0).agreement("three-phase"));
        assertTrue(e.getMessage().contains("[one-phase, two-phase]"), e.getMessage());
    }

    @Test
    void proposalsToCoresThatWereNotBootedAreRefused() {
        AgreementMonitors monitors = new AgreementMonitors(2, Fanout.MULTICAST);
        List<String> seen = new ArrayList<>();
        try (Multikernel mk = Multikernel.builder(AMD, new SimPlatform(1)).cores(2)
                .dispatchers(monitors::monitor)
                .dispatcher(0, new Dispatcher() {
                    @Override
                    protected void onStart() {
                        try {
                            monitors.service(0).agreement("two-phase").propose(OP, 0, 0, 0, 0, CoreSet.of(0, 5),
                                    (p, c, x, y) -> { });
                        } catch (IllegalArgumentException e) {
                            seen.add(e.getMessage());
                        }
                        try {
                            monitors.service(0).agreement("one-phase").propose(OP, 0, 0, 0, 0, CoreSet.empty(),
                                    (p, c, x, y) -> { });
                        } catch (IllegalArgumentException e) {
                            seen.add(e.getMessage());
                        }
                    }
                })
                .out(null).boot()) {
            mk.run(Duration.ofSeconds(1));
        }
        assertEquals(2, seen.size(), seen.toString());
        assertTrue(seen.get(0).contains("not booted"), seen.get(0));
    }

    @Test
    void twoPinnedCoresRunBothProtocolsWithRealThreads() {
        for (String protocol : List.of(Agreement.ONE_PHASE, Agreement.TWO_PHASE)) {
            Run r = run(AMD, new PinnedPlatform(), 2, 0, CoreSet.range(0, 2), protocol, Fanout.MULTICAST, 500, 16,
                    1);
            assertEquals(List.of(), r.failures());
            assertEquals(upTo(500), r.driver().completed);
            long commits = r.logs()[1].of("commit").size();
            assertEquals(protocol.equals(Agreement.ONE_PHASE) ? 500 : 250, commits);
        }
    }
}
