package io.flotilla.agreement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.machine.Machines;
import io.flotilla.skb.Skb;
import org.junit.jupiter.api.Test;

class AgreementSpiTest {

    @Test
    void coreSetsIterateInOrderAcrossWords() {
        CoreSet s = CoreSet.of(70, 3, 64, 0, 3);
        assertArrayEquals(new int[] {0, 3, 64, 70}, s.toArray());
        assertEquals(4, s.size());
        assertEquals(70, s.max());
        assertEquals(64, s.next(4));
        assertEquals(-1, s.next(71));
        assertTrue(s.contains(64));
        assertFalse(s.contains(65));
        assertEquals(CoreSet.of(0, 3, 70), s.without(64));
        assertEquals(CoreSet.of(0, 3), s.without(64).without(70));
        assertEquals(s, s.without(64).with(64));
        assertEquals(CoreSet.range(0, 3), CoreSet.of(2, 1, 0));
        assertTrue(CoreSet.empty().isEmpty());
        assertEquals(-1, CoreSet.empty().max());
        assertThrows(IllegalArgumentException.class, () -> CoreSet.of(-1));
    }

    @Test
    void proposalIdsCarryTheCoordinator() {
        long id = Proposal.id(31, 12345);
        assertEquals(31, Proposal.coordinatorOf(id));
        assertEquals(12345, Proposal.sequenceOf(id));
        assertEquals(31, new Proposal(id, 1, 0, 0, 0, 0).coordinator());
        assertThrows(IllegalArgumentException.class, () -> Proposal.id(0, 1L << Proposal.SEQUENCE_BITS));
    }

    @Test
    void theSkbRulePicksThePapersProtocolsAndCanBeOverridden() {
        Skb skb = Skb.of(Machines.load("amd-8x4"));
        assertEquals(Agreement.TWO_PHASE, AgreementRules.protocolFor(skb, "retype", 32));
        assertEquals(Agreement.ONE_PHASE, AgreementRules.protocolFor(skb, "unmap", 32));
        assertEquals(Agreement.TWO_PHASE, AgreementRules.protocolFor(skb, "put", 4));
        AgreementRules.install(skb); // idempotent: the defaults are not asserted twice
        assertEquals(1, skb.query("agreement_protocol(retype, 2, P)").size());
        skb.query("asserta((agreement_protocol(put, N, 'one-phase') :- N < 8))");
        assertEquals(Agreement.ONE_PHASE, AgreementRules.protocolFor(skb, "put", 4));
        assertEquals(Agreement.TWO_PHASE, AgreementRules.protocolFor(skb, "put", 16));
        assertThrows(IllegalArgumentException.class, () -> AgreementRules.protocolFor(skb, "Bad Purpose", 2));
    }
}
