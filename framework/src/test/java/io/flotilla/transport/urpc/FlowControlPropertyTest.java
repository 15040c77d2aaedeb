package io.flotilla.transport.urpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.transport.ChannelContract;
import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The epoch and used-bit logic against a model, with and without the epoch receiver's hand-back and with either slot
 * spacing: whatever the interleaving of sends and polls (of any limit), a urpc
 * ring delivers exactly the frames sent, in order, never reports more room than the receiver has freed (safety,
 * including across every lap's epoch flip), reports some room once an idle receiver has drained it, and the whole
 * ring once that receiver polled without limit (batched acks never strand credit).
 */
class FlowControlPropertyTest {

    @Property(tries = 300)
    void behavesLikeABoundedFifo(@ForAll FlowControl flow,
                                 @ForAll boolean handBack,
                                 @ForAll SlotSpacing spacing,
                                 @ForAll @IntRange(min = 1, max = 5) int log2Slots,
                                 @ForAll @IntRange(min = 1, max = 32) int ackBatchSeed,
                                 @ForAll @Size(max = 300) List<@IntRange(min = -8, max = 40) Integer> operations) {
        int slots = 1 << log2Slots;
        int ackBatch = 1 + (ackBatchSeed - 1) % slots;
        ChannelPair pair = UrpcChannel.openPair(slots, flow, ackBatch, handBack, spacing);
        Channel tx = pair.left();
        Channel rx = pair.right();
        ArrayDeque<Long> inFlight = new ArrayDeque<>();
        ChannelContract.Sequence sequence = new ChannelContract.Sequence();
        long sent = 0;
        for (int op : operations) {
            int room = tx.writableFrames();
            assertThat(room).as("room never exceeds what the receiver has freed").isBetween(0, slots - inFlight.size());
            if (op > 0) {
                for (int k = 0; k < op && tx.writableFrames() > 0; k++) { // a burst of sends
                    ChannelContract.send(tx, ++sent);
                    inFlight.add(sent);
                }
            } else {
                int limit = op == 0 ? Integer.MAX_VALUE : -op;
                int delivered = rx.poll(sequence, limit);
                assertThat(delivered).isEqualTo(Math.min(limit, inFlight.size()));
                for (int k = 0; k < delivered; k++) {
                    inFlight.remove();
                }
                if (delivered < limit) {
                    assertThat(tx.writableFrames()).as("an idle receiver has handed credit back").isPositive();
                }
                if (op == 0) { // drained and idle: the sender gets the whole ring back, not just what was acked
                    int burst = 0;
                    while (tx.writableFrames() > 0) {
                        ChannelContract.send(tx, ++sent);
                        inFlight.add(sent);
                        burst++;
                    }
                    assertThat(burst).as("frames sendable after an idle receiver drained the ring").isEqualTo(slots);
                }
            }
        }
        rx.poll(sequence, Integer.MAX_VALUE);
        assertThat(sequence.received).isEqualTo(sent);
    }
}
