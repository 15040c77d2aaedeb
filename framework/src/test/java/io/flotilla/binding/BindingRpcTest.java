package io.flotilla.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.ChannelPair;
import io.flotilla.transport.loopback.LoopbackChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The binding's side of rpcs, without generated code: failure frames, closing, deadlines on a given clock, cancel. */
class BindingRpcTest {

    /** Pending calls as a stub keeps them: a set of tokens; records how each ended. */
    static final class Calls implements RpcCalls {
        final Set<Integer> pending = new HashSet<>();
        final List<String> ended = new ArrayList<>();

        @Override
        public boolean failCall(int token, RpcException failure) {
            if (!pending.remove(token)) {
                return false;
            }
            ended.add(token + " " + failure.getMessage());
            return true;
        }

        @Override
        public void failAllCalls(RpcException failure) {
            for (int t : pending.stream().sorted().toList()) {
                ended.add(t + " " + failure.getMessage());
            }
            pending.clear();
        }
    }

    /** A clock the test moves by hand, recording the wake-ups asked for. */
    static final class Clock implements RpcClock {
        long now;
        final List<Long> wakes = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void wakeAt(long nanoTime) {
            wakes.add(nanoTime);
        }
    }

    @Test
    void deadlinesExpireInTimeOrderOnTheBindingsClockEachOnce() {
        var b = new Binding(LoopbackChannel.open(4).left());
        var calls = new Calls();
        b.attachCalls(calls);
        var clock = new Clock();
        b.setClock(clock);
        int[] timeouts = {50, 10, 30, 20, 40};
        for (int i = 0; i < timeouts.length; i++) {
            calls.pending.add(i + 1);
            b.deadline(i + 1, Duration.ofNanos(timeouts[i]));
        }
        calls.pending.remove(3); // token 3 (30 ns) answered in time: its deadline finds nothing
        clock.now = 25;
        b.poll(8);
        assertThat(calls.ended).containsExactly("2 DEADLINE_EXCEEDED: no response within the call's deadline",
                "4 DEADLINE_EXCEEDED: no response within the call's deadline");
        assertThat(clock.wakes).last().isEqualTo(30L);
        clock.now = 1000;
        b.poll(8);
        b.poll(8);
        assertThat(calls.ended).hasSize(4).element(2).asString().startsWith("5 ");
        assertThat(calls.ended.get(3)).startsWith("1 ");
        // an abandoned call's late answer may be dropped, once
        assertThat(b.forgetAbandoned(2)).isTrue();
        assertThat(b.forgetAbandoned(2)).isFalse();
        assertThat(b.forgetAbandoned(3)).isFalse();
    }

    @Test
    void cancelEndsAPendingCallOnceAndOnlyAPendingOne() {
        var b = new Binding(LoopbackChannel.open(4).left());
        var calls = new Calls();
        b.attachCalls(calls);
        calls.pending.add(7);
        assertThat(b.cancel(7)).isTrue();
        assertThat(b.cancel(7)).isFalse();
        assertThat(b.cancel(8)).isFalse();
        assertThat(calls.ended).containsExactly("7 CANCELLED: cancelled by the caller");
    }

    @Test
    void aFailureFrameEndsThePeersCallWithStatusAndMessageCutAtACharacter() {
        ChannelPair p = LoopbackChannel.open(4);
        var server = new Binding(p.right());
        var client = new Binding(p.left());
        var calls = new Calls();
        client.attachCalls(calls);
        var errors = new ArrayList<BindingException>();
        client.setErrorHandler(errors::add);
        calls.pending.add(5);
        String message = "x".repeat(46) + "é and more"; // é is two bytes: 46 + 2 = 48 fit, the rest is cut
        server.sendFailure(5, RpcStatus.HANDLER_FAILED, message);
        server.sendFailure(6, RpcStatus.REJECTED, "nobody waits for this");
        client.poll(8);
        assertThat(calls.ended).containsExactly("5 HANDLER_FAILED: " + "x".repeat(46) + "é");
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("token 6"));
    }

    @Test
    void closingTellsThePeerWhichFailsItsCallsAndRefusesSends() {
        ChannelPair p = LoopbackChannel.open(4);
        var server = new Binding(p.right());
        var client = new Binding(p.left());
        var calls = new Calls();
        client.attachCalls(calls);
        calls.pending.add(1);
        calls.pending.add(2);
        server.close();
        client.poll(8);
        client.poll(8);
        assertThat(calls.ended).containsExactly("1 CLOSED: the peer closed the binding",
                "2 CLOSED: the peer closed the binding");
        assertThat(client.closedBecause()).isEqualTo("the peer closed the binding");
        assertThatThrownBy(client::claim).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.status()).isEqualTo(RpcStatus.CLOSED));
        client.close(); // idempotent after the peer's close; nothing more to fail
        assertThat(calls.ended).hasSize(2);
    }
}
