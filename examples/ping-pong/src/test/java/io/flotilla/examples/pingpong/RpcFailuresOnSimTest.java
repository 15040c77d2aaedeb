package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.binding.Binding;
import io.flotilla.binding.BindingException;
import io.flotilla.binding.RpcException;
import io.flotilla.binding.RpcStatus;
import io.flotilla.examples.pingpong.generated.KeyValue;
import io.flotilla.examples.pingpong.generated.KeyValueHandler;
import io.flotilla.examples.pingpong.generated.KeyValueStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failure kinds of {@link RpcFailuresTest} between two dispatchers of a multikernel: on the simulated 8x4-core
 * AMD, where a deadline runs on virtual cycles, each reaches its caller exactly once, and two runs with one seed
 * end at the same virtual times with the same trace hash; on pinned host cores the same, on real time.
 */
class RpcFailuresOnSimTest {

    static final String SERVICE = "key_value";

    /** What one run saw. */
    record Run(List<Object> outcomes, List<String> errors, long deadlineCycles, String traceHash) {}

    /** Exports the store; each binding gets its own. */
    static final class Server extends Dispatcher {
        final List<String> errors = new ArrayList<>();

        @Override
        protected void onStart() {
            export(SERVICE, binding -> {
                binding.setErrorHandler(e -> errors.add(e.getMessage()));
                KeyValue.bind(binding, new KeyValueStore(binding));
                return true;
            });
        }
    }

    /** Runs the failures one after another, each step started by the end of the one before. */
    static final class Client extends Dispatcher {
        final List<Outcomes> calls = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        Binding binding;
        KeyValueStub stub;
        long deadlineStart;
        long deadlineCycles;

        @Override
        protected void onStart() {
            connect(this::deadline);
        }

        void connect(Runnable then) {
            bind(SERVICE, (b, error) -> {
                if (error != null) {
                    errors.add("bind: " + error.getMessage());
                    return;
                }
                binding = b;
                b.setErrorHandler(e -> errors.add(e.getMessage()));
                stub = KeyValue.bind(b, new KeyValueHandler() {});
                then.run();
            });
        }

        Outcomes call(Runnable then) {
            var o = new Outcomes();
            o.then = then;
            calls.add(o);
            return o;
        }

        void deadline() {
            deadlineStart = now();
            stub.get("slow", Duration.ofNanos(20_000), call(() -> {
                deadlineCycles = now() - deadlineStart;
                cancel();
            }));
        }

        void cancel() {
            int token = stub.get("slow", call(() -> {}));
            binding.cancel(token);
            // both abandoned calls get their answers now; they must be dropped without a word
            stub.put("answer-slow", new byte[0], call(this::capability));
        }

        void capability() {
            stub.frame(4096, call(this::rejected));
        }

        void rejected() {
            stub.get("bad", call(this::peerCloses));
        }

        void peerCloses() {
            stub.get("close", call(this::sendAfterClose));
        }

        void sendAfterClose() {
            var o = call(() -> {});
            try {
                stub.put("k", new byte[] {1}, o);
            } catch (RpcException e) {
                o.ends.add("thrown " + e.status());
            }
            unbind(binding);
            connect(this::handlerThrows);
        }

        void handlerThrows() {
            stub.put("boom", new byte[] {1}, call(this::stopKernel));
        }
    }

    static Run run() {
        return run(Machines.load("amd-8x4"), new SimPlatform(11), 5);
    }

    static Run run(Machine machine, io.flotilla.kernel.Platform platform, int serverCore) {
        var server = new Server();
        var client = new Client();
        var failures = new ArrayList<String>();
        try (Multikernel mk = Multikernel.builder(machine, platform)
                .cores(serverCore + 1)
                .dispatcher(serverCore, server)
                .dispatcher(0, client)
                .onFailure(f -> failures.add(f.dispatcher() + ": " + f.cause().getMessage()))
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(20));
            var outcomes = new ArrayList<Object>();
            for (Outcomes o : client.calls) {
                outcomes.add(o.ends.size() == 1 ? o.ends.get(0) : o.ends);
            }
            var errors = new ArrayList<String>(client.errors);
            server.errors.forEach(e -> errors.add("server: " + e));
            failures.forEach(f -> errors.add("failure: " + f));
            return new Run(outcomes, errors, client.deadlineCycles,
                    mk.traceHash().isPresent() ? Long.toHexString(mk.traceHash().getAsLong()) : null);
        }
    }

    @Test
    void everyFailureReachesItsCallerOnceOnVirtualTimeDeterministically() {
        Run first = run();
        assertThat(first.outcomes()).containsExactly(
                RpcStatus.DEADLINE_EXCEEDED,
                RpcStatus.CANCELLED,
                "put 0",
                RpcStatus.CAPABILITY_REFUSED,
                RpcStatus.REJECTED,
                RpcStatus.CLOSED,
                "thrown CLOSED",
                RpcStatus.HANDLER_FAILED);
        // 20 us at the machine's clock, on virtual time: the deadline's timer fires one cycle after it is due
        long due = Math.round(20_000 * Machines.load("amd-8x4").clockGhz());
        assertThat(first.deadlineCycles()).isBetween(due, due + 2);
        // the server sees its own failures: the refused capability, and the handler that threw (its dispatcher fails)
        assertThat(first.errors()).hasSize(2);
        assertThat(first.errors().get(0)).contains("server: ").contains("capabilit");
        assertThat(first.errors().get(1)).contains("failure: ").contains("disk on fire");
        Run again = run();
        assertThat(again).isEqualTo(first);
    }

    /** The same dispatchers on pinned host cores: the deadline runs on real time, the outcomes are the same. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void onPinnedCoresTheSameFailuresReachTheCallerOnRealTime() {
        Machine host = Machines.load("host", warning -> {});
        Run r = run(host, new io.flotilla.platform.pinned.PinnedPlatform(), host.coreCount() > 1 ? 1 : 0);
        assertThat(r.outcomes()).containsExactly(
                RpcStatus.DEADLINE_EXCEEDED,
                RpcStatus.CANCELLED,
                "put 0",
                RpcStatus.CAPABILITY_REFUSED,
                RpcStatus.REJECTED,
                RpcStatus.CLOSED,
                "thrown CLOSED",
                RpcStatus.HANDLER_FAILED);
        // at least the 20 us deadline, in cycles of the host's clock
        assertThat(r.deadlineCycles()).isGreaterThanOrEqualTo(Math.round(20_000 * host.clockGhz()) - 1);
        assertThat(r.errors()).hasSize(2);
    }
}
