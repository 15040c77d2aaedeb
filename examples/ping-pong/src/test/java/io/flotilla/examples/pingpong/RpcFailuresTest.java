package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.binding.Binding;
import io.flotilla.binding.BindingException;
import io.flotilla.binding.RpcException;
import io.flotilla.binding.RpcStatus;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.examples.pingpong.generated.KeyValue;
import io.flotilla.examples.pingpong.generated.KeyValueStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way an rpc can fail reaches its caller exactly once, with its status, on each real transport: a handler
 * that throws, a deadline, a cancel, the peer closing with a call pending, a send after close, a capability reply
 * on a binding without capability transfer, a response the decoder rejects. One test thread polls both ends
 * (lrpc needs that; urpc and net do not mind). The same on the simulator: {@link RpcFailuresOnSimTest}.
 */
@Timeout(60)
class RpcFailuresTest {

    /** A client and a server end of one channel of the named transport. */
    static final class Ends {
        final Binding client;
        final Binding server;
        final KeyValueStub stub;
        final KeyValueStore store;
        final List<BindingException> clientErrors = new ArrayList<>();
        final List<BindingException> serverErrors = new ArrayList<>();
        final List<RuntimeException> serverThrew = new ArrayList<>();

        Ends(String transport) {
            ChannelPair pair = TransportRegistry.discover().get(transport)
                    .open(Endpoint.local(0), Endpoint.local(transport.equals("lrpc") ? 0 : 1), ChannelOptions.DEFAULT);
            client = new Binding(pair.left());
            server = new Binding(pair.right());
            client.setErrorHandler(clientErrors::add);
            server.setErrorHandler(serverErrors::add);
            store = new KeyValueStore(server);
            KeyValue.bind(server, store);
            stub = KeyValue.bind(client, new io.flotilla.examples.pingpong.generated.KeyValueHandler() {});
        }

        void pollBoth() {
            client.poll(64);
            try {
                server.poll(64);
            } catch (RuntimeException e) {
                serverThrew.add(e); // a handler's exception still reaches the server's own event loop
            }
        }

        /** Polls until {@code done}, for up to ten seconds of real time (net has threads of its own). */
        void pollUntil(BooleanSupplier done) {
            long end = System.nanoTime() + 10_000_000_000L;
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("timed out");
                }
                pollBoth();
                Thread.onSpinWait();
            }
        }

        /** Polls for a while longer, so a second delivery would have had every chance to arrive. */
        void settle() {
            long end = System.nanoTime() + 50_000_000L;
            while (System.nanoTime() < end) {
                pollBoth();
            }
        }

        void close() {
            client.close();
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void aHandlerThatThrowsEndsTheCallWithItsMessage(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        e.stub.put("boom", new byte[] {1}, o);
        e.pollUntil(o::done);
        e.settle();
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.HANDLER_FAILED);
        assertThat(o.failure.getMessage()).contains("IllegalStateException: disk on fire");
        assertThat(e.serverThrew).singleElement().satisfies(x -> assertThat(x).hasMessage("disk on fire"));
        assertThat(e.clientErrors).isEmpty();
        // the binding is still good
        var next = new Outcomes();
        e.stub.put("k", new byte[] {7}, next);
        e.pollUntil(next::done);
        assertThat(next.ends).containsExactly("put 0");
        e.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void anUnimplementedRpcEndsAsUnimplemented(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        e.stub.remove("k", o);
        e.pollUntil(o::done);
        e.settle();
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.UNIMPLEMENTED);
        assertThat(e.serverErrors).hasSize(1);
        e.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void aDeadlineEndsTheCallAndItsLateResponseIsDropped(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        e.stub.get("slow", Duration.ofMillis(30), o);
        e.pollUntil(o::done);
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.DEADLINE_EXCEEDED);
        e.store.answerSlow();
        e.settle();
        assertThat(o.ends).hasSize(1);
        assertThat(e.clientErrors).isEmpty();
        e.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void aCancelEndsTheCallAtOnce(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        int token = e.stub.get("slow", o);
        e.pollUntil(() -> !e.store.slow.isEmpty());
        assertThat(e.client.cancel(token)).isTrue();
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.CANCELLED);
        assertThat(e.client.cancel(token)).isFalse();
        e.store.answerSlow();
        e.settle();
        assertThat(o.ends).hasSize(1);
        assertThat(e.clientErrors).isEmpty();
        e.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void thePeerClosingFailsPendingCallsAndLaterSendsFailAtOnce(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        e.stub.get("slow", o);
        e.pollUntil(() -> !e.store.slow.isEmpty());
        e.server.close();
        e.pollUntil(o::done);
        e.settle();
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.CLOSED);
        var late = new Outcomes();
        assertThatThrownBy(() -> e.stub.put("k", new byte[] {1}, late)).isInstanceOfSatisfying(RpcException.class,
                x -> assertThat(x.status()).isEqualTo(RpcStatus.CLOSED));
        assertThat(late.ends).isEmpty();
        assertThat(e.clientErrors).isEmpty();
        e.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void closingThisEndFailsItsPendingCallsAndRefusesSends(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        e.stub.get("slow", o);
        e.client.close();
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.CLOSED);
        assertThatThrownBy(() -> e.stub.get("k", new Outcomes())).isInstanceOf(RpcException.class);
        e.server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void aCapabilityReplyOnABindingWithoutCapabilityTransferIsRefused(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        e.stub.frame(4096, o);
        e.pollUntil(o::done);
        e.settle();
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.CAPABILITY_REFUSED);
        assertThat(e.serverErrors).singleElement()
                .satisfies(x -> assertThat(x).hasMessageContaining("cannot transfer capabilities"));
        e.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void aResponseTheDecoderRejectsEndsTheCallAsRejected(String transport) {
        var e = new Ends(transport);
        var o = new Outcomes();
        e.stub.get("bad", o);
        e.pollUntil(o::done);
        e.settle();
        assertThat(o.onlyStatus()).isEqualTo(RpcStatus.REJECTED);
        assertThat(o.failure.getMessage()).contains("non-zero unused word");
        assertThat(e.clientErrors).isEmpty();
        e.close();
    }

    /** Records what an interceptor sees, one line per event. */
    static final class Log implements io.flotilla.binding.RpcInterceptor {
        final List<String> events = new ArrayList<>();

        @Override
        public void onCall(io.flotilla.binding.MessageDescriptor rpc, int token) {
            events.add("call " + rpc.name() + " " + token);
        }

        @Override
        public void onEnd(io.flotilla.binding.MessageDescriptor rpc, int token, RpcException failure) {
            events.add("end " + rpc.name() + " " + token + " " + (failure == null ? "ok" : failure.status()));
        }

        @Override
        public void onServe(io.flotilla.binding.MessageDescriptor rpc, int token) {
            events.add("serve " + rpc.name() + " " + token);
        }

        @Override
        public void onAnswer(io.flotilla.binding.MessageDescriptor rpc, int token, RpcStatus failure) {
            events.add("answer " + rpc.name() + " " + token + " " + (failure == null ? "ok" : failure));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrpc", "urpc", "net"})
    void interceptorsSeeEveryCallLeaveAndEndOnceOnBothSides(String transport) {
        var e = new Ends(transport);
        var client = new Log();
        var server = new Log();
        e.client.addInterceptor(client);
        e.server.addInterceptor(server);
        var ok = new Outcomes();
        var boom = new Outcomes();
        var slow = new Outcomes();
        int t1 = e.stub.put("k", new byte[] {1}, ok);
        int t2 = e.stub.put("boom", new byte[] {1}, boom);
        int t3 = e.stub.get("slow", slow);
        e.pollUntil(() -> ok.done() && boom.done() && !e.store.slow.isEmpty());
        e.client.close();
        assertThat(client.events).containsExactly(
                "call put_call " + t1, "call put_call " + t2, "call get_call " + t3,
                "end put_call " + t1 + " ok", "end put_call " + t2 + " HANDLER_FAILED", "end get_call " + t3 + " CLOSED");
        assertThat(server.events).containsExactly(
                "serve put_call " + t1, "answer put_call " + t1 + " ok",
                "serve put_call " + t2, "answer put_call " + t2 + " HANDLER_FAILED",
                "serve get_call " + t3);
        e.server.close();
    }
}
