package io.flotilla.examples.pingpong;

import io.flotilla.binding.Binding;
import io.flotilla.examples.pingpong.generated.PingPong;
import io.flotilla.examples.pingpong.generated.PingPongHandler;
import io.flotilla.examples.pingpong.generated.PingPongStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The ping-pong conversation as two dispatchers of a booted multikernel: the server exports {@code ping_pong}
 * through its core's monitor, the client binds to it by name (its monitor asks the server's, and the transport is
 * chosen for the two cores), and both talk through the stubs generated from {@code ping_pong.if}.
 *
 * <p>The same dispatcher code runs on the simulated machine (virtual cycles, deterministic: the run ends with a
 * trace hash) and on pinned host cores (real time). Round trips are measured in cycles of the machine's clock on
 * both: {@link Dispatcher#now()} is virtual on sim and {@code System.nanoTime} times the clock on pinned cores.
 */
public final class PingPongOnCores {

    /** The name the server exports. */
    public static final String SERVICE = "ping_pong";

    /**
     * What a run measured. {@code traceHash} is null on a platform without one (pinned). {@code phases}: with a swap,
     * the round trips before it, during it and after it, each on its own (one median across two transports would
     * hide both); empty without a swap. {@code swapCycles}: from asking for the swap to its continuation, on the
     * client core's clock; -1 without a completed swap.
     */
    public record Result(String platform, String machine, int clientCore, int serverCore, int pings, int pongs,
            long medianRttCycles, long p99RttCycles, List<String> serverLog, int checksumsCorrect, int checksums,
            List<String> errors, String traceHash, String swappedTo, List<Phase> phases, long swapCycles) {

        public boolean ok() {
            return pongs == pings && checksumsCorrect == checksums && errors.isEmpty();
        }
    }

    /**
     * The round trips of one phase of a run with a swap: {@code pongs} of them, pongs number {@code from} up to
     * (not including) {@code from + pongs}.
     */
    public record Phase(String name, int from, int pongs, long medianRttCycles, long p99RttCycles) {}

    private PingPongOnCores() {}

    /** Boots {@code machine} on {@code platform} with the server and client on the given cores and runs them. */
    public static Result run(Machine machine, Platform platform, int clientCore, int serverCore, int pings,
            PrintStream out) {
        return run(machine, platform, clientCore, serverCore, pings, null, out);
    }

    /**
     * As {@link #run(Machine, Platform, int, int, int, PrintStream)}; with {@code swapTo} not null, the client
     * moves the binding onto a new channel of that transport half-way through the pings, while they flow.
     */
    public static Result run(Machine machine, Platform platform, int clientCore, int serverCore, int pings,
            String swapTo, PrintStream out) {
        var server = new Server();
        var client = new Client(pings, swapTo);
        var errors = new ArrayList<String>();
        int cores = Math.max(clientCore, serverCore) + 1;
        try (Multikernel mk = Multikernel.builder(machine, platform)
                .cores(cores)
                .dispatcher(serverCore, server)
                .dispatcher(clientCore, client)
                .onFailure(f -> errors.add("core " + f.core() + " " + f.dispatcher() + ": " + f.cause()))
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(60));
            errors.addAll(server.errors);
            errors.addAll(client.errors);
            // Sorted once, after the run (percentiles of the recorded round trips): nothing is sorted while pings
            // flow.
            long[] rtts = sorted(client.rtts, 0, client.pongs);
            String hash = mk.traceHash().isPresent() ? Long.toHexString(mk.traceHash().getAsLong()) : null;
            Result r = new Result(platform.name(), machine.name(), clientCore, serverCore, pings, client.pongs,
                    percentile(rtts, 0.50), percentile(rtts, 0.99), List.copyOf(server.log), client.checksumsCorrect,
                    client.checksums, List.copyOf(errors), hash, client.swapped ? client.swapTo : null,
                    phases(client), client.swapped ? client.swapDoneAt - client.swapAskedAt : -1);
            print(r, out);
            return r;
        }
    }

    /**
     * Before the swap (pongs until the client asked for it), during (until the swap completed: pings still in flight
     * on the old channel, and the markers' round), after (all on the new channel).
     */
    private static List<Phase> phases(Client client) {
        if (client.swapTo == null || client.swapAsked < 0) {
            return List.of();
        }
        int asked = client.swapAsked;
        int done = client.swapDone < 0 ? client.pongs : client.swapDone;
        var phases = new ArrayList<Phase>();
        phases.add(phase("before the swap", client.rtts, 0, asked));
        phases.add(phase("during the swap", client.rtts, asked, done));
        if (client.swapDone >= 0) {
            phases.add(phase("after the swap to " + client.swapTo, client.rtts, done, client.pongs));
        }
        return List.copyOf(phases);
    }

    private static Phase phase(String name, long[] rtts, int from, int to) {
        long[] sorted = sorted(rtts, from, to);
        return new Phase(name, from, to - from, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static long[] sorted(long[] values, int from, int to) {
        long[] sorted = Arrays.copyOfRange(values, from, to);
        Arrays.sort(sorted);
        return sorted;
    }

    private static void print(Result r, PrintStream out) {
        out.printf("ping-pong on %s (%s): client on core %d, server on core %d%n", r.platform(), r.machine(),
                r.clientCore(), r.serverCore());
        out.printf("  %d pings, %d pongs; round trip median %d cycles, p99 %d cycles%n", r.pings(), r.pongs(),
                r.medianRttCycles(), r.p99RttCycles());
        if (r.swappedTo() != null) {
            out.printf("  swapped the binding to %s half-way, while pings were in flight; the swap took %d cycles%n",
                    r.swappedTo(), r.swapCycles());
        }
        for (Phase p : r.phases()) {
            out.printf("    %s: %d pongs; round trip median %d cycles, p99 %d cycles%n", p.name(), p.pongs(),
                    p.medianRttCycles(), p.p99RttCycles());
        }
        out.printf("  say: server logged %s%n", r.serverLog());
        out.printf("  checksum rpc: %d of %d replies correct%n", r.checksumsCorrect(), r.checksums());
        if (!r.errors().isEmpty()) {
            out.printf("  errors: %s%n", r.errors());
        }
        if (r.traceHash() != null) {
            out.println("trace-hash: " + r.traceHash());
        }
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** Exports the service; every client binding gets its own handler and stub. */
    static final class Server extends Dispatcher {
        final List<String> log = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        protected void onStart() {
            export(SERVICE, binding -> {
                binding.setErrorHandler(e -> errors.add("server: " + e.getMessage()));
                new Session(binding);
                return true;
            });
        }

        /** One client's conversation. */
        final class Session implements PingPongHandler {
            final PingPongStub stub;

            Session(Binding binding) {
                stub = PingPong.bind(binding, this);
            }

            @Override
            public void ping(PingPong.Stamp s) {
                stub.pong(s);
            }

            @Override
            public void say(String text) {
                log.add(text);
            }

            @Override
            public void checksum(byte[] data, PingPong.ChecksumResponder responder) {
                var crc = new CRC32();
                crc.update(data);
                compute(data.length); // charge about a cycle a byte of modelled work
                responder.send((int) crc.getValue(), 0L);
            }
        }
    }

    /** Binds by name, keeps a window of pings in flight, then greets and asks for checksums, then stops. */
    static final class Client extends Dispatcher implements PingPongHandler {
        static final int WINDOW = 8;
        static final int[] SIZES = {0, 1, 55, 56, 57, 1000, 4096};

        final int pings;
        final String swapTo;
        final long[] rtts;
        final List<String> errors = new ArrayList<>();
        PingPongStub stub;
        Binding binding;
        boolean swapped;
        /** Pongs received when the swap was asked for and when it completed; -1 until then. */
        int swapAsked = -1;
        int swapDone = -1;
        /** Client-core cycles when the swap was asked for and when it completed. */
        long swapAskedAt;
        long swapDoneAt;
        /** A swap was asked for and has neither completed nor failed yet. */
        boolean swapPending;
        int sent;
        int pongs;
        int checksums;
        int checksumReplies;
        int checksumsCorrect;

        Client(int pings, String swapTo) {
            this.pings = pings;
            this.swapTo = swapTo;
            this.rtts = new long[pings];
        }

        @Override
        protected void onStart() {
            bind(SERVICE, (binding, error) -> {
                if (error != null) {
                    errors.add("client: " + error.getMessage());
                    stopKernel();
                    return;
                }
                binding.setErrorHandler(e -> errors.add("client: " + e.getMessage()));
                this.binding = binding;
                stub = PingPong.bind(binding, this);
                fillWindow();
            });
        }

        /**
         * The run ends when every checksum is answered and the swap it asked for has ended either way: a swap whose
         * new channel opens slowly (a process's first net channel, opened off the cores) may finish after the last
         * pong, and its outcome must still be heard and reported.
         */
        private void maybeStop() {
            if (checksumReplies == SIZES.length && !swapPending) {
                stopKernel();
            }
        }

        private void fillWindow() {
            while (sent < pings && sent - pongs < WINDOW) {
                stub.ping(new PingPong.Stamp(sent++, now()));
            }
        }

        @Override
        public void pong(PingPong.Stamp s) {
            if (s.seq() != pongs) {
                errors.add("client: pong " + s.seq() + " arrived when " + pongs + " was expected");
            }
            rtts[pongs++] = now() - s.sentAt();
            if (swapTo != null && pongs == pings / 2) {
                // Pings are in flight both ways right now: the swap must not lose, duplicate or reorder one.
                swapAsked = pongs;
                swapAskedAt = now();
                swapPending = true;
                swap(binding, swapTo, () -> {
                    swapped = true;
                    swapDone = pongs;
                    swapDoneAt = now();
                    swapPending = false;
                    maybeStop();
                }, e -> {
                    errors.add("client: swap: " + e.getMessage());
                    swapPending = false;
                    maybeStop();
                });
            }
            if (pongs < pings) {
                fillWindow();
                return;
            }
            stub.say("hello from core " + core() + ", after " + pongs + " pongs");
            var random = random();
            for (int size : SIZES) {
                byte[] data = new byte[size];
                for (int i = 0; i < size; i++) {
                    data[i] = (byte) random.nextInt(256);
                }
                var expected = new CRC32();
                expected.update(data);
                checksums++;
                stub.checksum(data, (crc, err) -> {
                    if (err == 0 && crc == (int) expected.getValue()) {
                        checksumsCorrect++;
                    }
                    checksumReplies++;
                    maybeStop();
                });
            }
        }
    }
}
