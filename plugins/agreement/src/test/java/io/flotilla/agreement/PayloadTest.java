package io.flotilla.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.agreement.protocol.AgreementCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Proposals that carry a string payload reach every voter's prepare and commit, interleaved with payload-free ones. */
class PayloadTest {

    static final int OP = 9;

    /** Operation i's payload: empty for every third, else long and not ASCII, so it spans continuation frames. */
    static String payload(int i) {
        if (i % 3 == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder("op" + i + ":");
        while (b.length() < 300 + i) {
            b.append("kλ€\uD83D\uDE00".charAt(b.length() % 5 == 4 ? 0 : b.length() % 3));
        }
        return b.toString();
    }

    static final class Seen implements Voter {
        final List<String> prepared = new ArrayList<>();
        final List<String> committed = new ArrayList<>();

        @Override
        public int prepare(Proposal p) {
            prepared.add(p.a0() + "=" + p.payload());
            return YES;
        }

        @Override
        public void commit(Proposal p) {
            committed.add(p.a0() + "=" + p.payload());
        }
    }

    static final class Proposer extends Dispatcher implements Outcome {
        final AgreementMonitors monitors;
        final String protocol;
        final int n;
        int issued;
        int done;

        Proposer(AgreementMonitors monitors, String protocol, int n) {
            this.monitors = monitors;
            this.protocol = protocol;
            this.n = n;
        }

        @Override
        protected void onStart() {
            Agreement a = monitors.service(core()).agreement(protocol);
            while (issued < n) { // all in flight at once
                int i = issued++;
                a.propose(OP, i, 0, 0, 0, payload(i), CoreSet.range(0, monitors.cores()), this);
            }
        }

        @Override
        public void completed(Proposal p, boolean committed) {
            if (++done == n) {
                stopKernel();
            }
        }

        @Override
        public void decided(Proposal p, boolean committed, int refusal, int refuser) {}
    }

    @ParameterizedTest
    @CsvSource({"two-phase, MULTICAST", "two-phase, UNICAST", "one-phase, MULTICAST", "one-phase, UNICAST"})
    void everyVoterSeesEachPayloadInOrder(String protocol, Fanout fanout) {
        int cores = 32;
        int n = 12;
        AgreementMonitors monitors = new AgreementMonitors(cores, fanout);
        Seen[] seen = new Seen[cores];
        for (int c = 0; c < cores; c++) {
            seen[c] = new Seen();
            monitors.service(c).register(OP, seen[c]);
        }
        Proposer proposer = new Proposer(monitors, protocol, n);
        try (Multikernel mk = Multikernel.builder(AgreementProtocolTest.AMD, new SimPlatform(5)).cores(cores)
                .dispatchers(monitors::monitor).dispatcher(13, proposer).out(null).boot()) {
            mk.run(Duration.ofSeconds(30));
        }
        assertEquals(List.of(), monitors.errors());
        assertEquals(n, proposer.done);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i + "=" + payload(i));
        }
        assertTrue(payload(1).length() > 300 && payload(0).isEmpty());
        for (int c = 0; c < cores; c++) {
            assertEquals(expected, seen[c].committed, "core " + c);
            assertEquals(protocol.equals("two-phase") ? expected : List.of(), seen[c].prepared, "core " + c);
        }
    }

    @Test
    void payloadsAreBoundedAndMustBeValidUnicode() {
        String max = "x".repeat(Proposal.MAX_PAYLOAD_BYTES);
        assertEquals(max, new Proposal(1, OP, 0, 0, 0, 0, max).payload());
        assertEquals("", new Proposal(1, OP, 0, 0, 0, 0, null).payload());
        assertEquals("", new Proposal(1, OP, 0, 0, 0, 0).payload());
        var tooLong = assertThrows(IllegalArgumentException.class, () -> Proposal.checkPayload(max + "y"));
        assertTrue(tooLong.getMessage().contains("1025 UTF-8 bytes"), tooLong.getMessage());
        // 342 three-byte characters are 1026 bytes: the bound is in bytes, as on the wire.
        assertThrows(IllegalArgumentException.class, () -> Proposal.checkPayload("€".repeat(342)));
        Proposal.checkPayload("€".repeat(341));
        // The payload-free prepare is one frame; a full payload rides in 19 continuation frames after it.
        assertEquals(1, AgreementCodec.framesPrepare(1, 0, OP, 0, 0, 0, 0));
        assertEquals(2, AgreementCodec.framesPrepareWith(1, 0, OP, 0, 0, 0, 0, "")); // why "" goes payload-free
        assertEquals(20, AgreementCodec.framesPrepareWith(1, 0, OP, 0, 0, 0, 0, max));
        var bad = assertThrows(IllegalArgumentException.class, () -> Proposal.checkPayload("ab\uD83D"));
        assertTrue(bad.getMessage().contains("index 2"), bad.getMessage());

        AgreementMonitors monitors = new AgreementMonitors(2, Fanout.UNICAST);
        List<Throwable> refused = new ArrayList<>();
        try (Multikernel mk = Multikernel.builder(AgreementProtocolTest.AMD, new SimPlatform(1)).cores(2)
                .dispatchers(monitors::monitor)
                .dispatcher(0, new Dispatcher() {
                    @Override
                    protected void onStart() {
                        for (String protocol : List.of(Agreement.ONE_PHASE, Agreement.TWO_PHASE)) {
                            Agreement a = monitors.service(0).agreement(protocol);
                            try {
                                a.propose(OP, 0, 0, 0, 0, max + "y", CoreSet.of(0, 1), (p, c, r, who) -> {});
                            } catch (IllegalArgumentException e) {
                                refused.add(e);
                            }
                        }
                        stopKernel();
                    }
                }).out(null).boot()) {
            mk.run(Duration.ofSeconds(5));
        }
        assertEquals(2, refused.size());
        assertEquals(List.of(), monitors.errors());
    }
}
