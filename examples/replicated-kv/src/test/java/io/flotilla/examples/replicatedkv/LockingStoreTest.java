package io.flotilla.examples.replicatedkv;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.agreement.Proposal;
import io.flotilla.agreement.Voter;
import org.junit.jupiter.api.Test;

/** The two-phase voter's locking rule, without a kernel. */
class LockingStoreTest {

    private static Proposal put(int coordinator, long seq, String key, String value) {
        return new Proposal(Proposal.id(coordinator, seq), LockingStore.PUT, key.length(), 0, 0, 0,
                LockingStore.payload(key, value));
    }

    @Test
    void aPreparedPutLocksItsKeyUntilDecided() {
        var s = new LockingStore(0);
        Proposal a = put(1, 1, "k1", "a");
        Proposal b = put(2, 1, "k1", "b");
        Proposal c = put(2, 2, "k2", "c");

        assertThat(s.prepare(a)).isEqualTo(Voter.YES);
        assertThat(s.prepare(b)).isEqualTo(LockingStore.LOCKED); // same key, a undecided
        assertThat(s.prepare(c)).isEqualTo(Voter.YES);           // another key goes on
        assertThat(s.locked()).isEqualTo(2);
        s.commit(a);
        assertThat(s.get("k1")).isEqualTo("a");
        assertThat(s.prepare(b)).isEqualTo(Voter.YES);           // a decided: the key is free
        s.abort(c);
        assertThat(s.get("k2")).isNull();
        s.commit(b);
        assertThat(s.get("k1")).isEqualTo("b");
        assertThat(s.locked()).isZero();
        assertThat(s.applied()).isEqualTo(2);
        assertThat(s.refusals()).isEqualTo(1);
        assertThat(s.errors).isEmpty();
        Proposal malformed = new Proposal(Proposal.id(1, 9), LockingStore.PUT, 7, 0, 0, 0, "k1v");
        assertThat(s.prepare(malformed)).isEqualTo(LockingStore.MALFORMED);
        s.commit(malformed);
        assertThat(s.errors).singleElement().asString().contains("malformed");
        assertThat(s.applied()).isEqualTo(2);
    }

    @Test
    void theHistoryIsPerKeyOrderAndDuplicatesAreReported() {
        var x = new LockingStore(0);
        var y = new LockingStore(1);
        Proposal a = put(1, 1, "k1", "a");
        Proposal b = put(1, 2, "k2", "b");
        Proposal c = put(2, 1, "k1", "c");
        for (Proposal p : new Proposal[] {a, b, c}) {
            x.prepare(p);
            x.commit(p);
        }
        for (Proposal p : new Proposal[] {b, a, c}) { // other keys interleave differently: same history
            y.prepare(p);
            y.commit(p);
        }
        assertThat(x.history()).isEqualTo(y.history());
        var z = new LockingStore(2);
        for (Proposal p : new Proposal[] {c, b, a}) { // k1's writes in the other order: different history
            z.prepare(p);
            z.commit(p);
        }
        assertThat(z.history()).isNotEqualTo(x.history());
        Proposal again = put(3, 1, "k2", "b");
        x.prepare(again);
        x.commit(again);
        assertThat(x.errors).anySatisfy(e -> assertThat(e).contains("committed twice"));
        x.abort(put(3, 2, "k2", "z"));
        assertThat(x.errors).anySatisfy(e -> assertThat(e).contains("without its lock"));
    }
}
