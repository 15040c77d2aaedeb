package io.flotilla.examples.pingpong;

import io.flotilla.binding.Binding;
import io.flotilla.channel.ChannelPair;
import io.flotilla.examples.pingpong.generated.PingPong;
import io.flotilla.examples.pingpong.generated.PingPongHandler;
import io.flotilla.examples.pingpong.generated.PingPongStub;
import io.flotilla.transport.loopback.LoopbackChannel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

/**
 * Two dispatchers talking through stubs generated from {@code ping_pong.if}: a client and a server, each on its
 * own thread standing in for a core, connected by one channel.
 *
 * <p>Each thread runs the loop a CPU driver will run: poll the binding, let handlers react, repeat. Handlers on
 * one side never run concurrently, so none of the state below needs a lock.
 *
 * <p>Run it with {@code ./flotilla demo}, or {@code java -cp ... io.flotilla.examples.pingpong.PingPongExample}.
 */
public final class PingPongExample {

    /** Frames each direction of the channel holds: Barrelfish's default UMP channel size. */
    static final int CHANNEL_SLOTS = 32;

    /** What a run measured. */
    public record Result(int pings, int pongs, long medianRttNs, long p99RttNs, List<String> serverLog,
            int checksums, int checksumsCorrect, List<String> errors) {

        public boolean ok() {
            return pongs == pings && checksumsCorrect == checksums && errors.isEmpty();
        }
    }

    private PingPongExample() {}

    public static void main(String[] args) throws InterruptedException {
        int pings = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Result r = run(pings, System.out);
        System.exit(r.ok() ? 0 : 1);
    }

    /**
     * Runs the conversation: {@code pings} pings with up to {@code CHANNEL_SLOTS / 2} in flight, a greeting, and a
     * few checksum rpcs; then stops both threads.
     */
    public static Result run(int pings, PrintStream out) throws InterruptedException {
        ChannelPair channel = LoopbackChannel.open(CHANNEL_SLOTS);
        var server = new Server(new Binding(channel.right()));
        var client = new Client(new Binding(channel.left()), pings);

        var failure = new AtomicReference<Throwable>();
        Thread serverThread = new Thread(() -> server.runUntil(client), "core-1-server");
        serverThread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        serverThread.start();
        client.run();
        serverThread.join(10_000);
        if (serverThread.isAlive()) {
            serverThread.interrupt();
            throw new IllegalStateException("server did not stop");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("server failed", failure.get());
        }

        long[] rtts = Arrays.copyOf(client.rtts, client.pongs);
        Arrays.sort(rtts);
        var errors = new ArrayList<String>(client.errors);
        errors.addAll(server.errors);
        Result r = new Result(pings, client.pongs, percentile(rtts, 0.50), percentile(rtts, 0.99),
                List.copyOf(server.log), client.checksums, client.checksumsCorrect, errors);
        out.printf("ping-pong: %d pings, %d pongs; round trip median %d ns, p99 %d ns (two threads, %d-slot channel)%n",
                r.pings(), r.pongs(), r.medianRttNs(), r.p99RttNs(), CHANNEL_SLOTS);
        out.printf("say: server logged %s%n", r.serverLog());
        out.printf("checksum rpc: %d of %d replies correct%n", r.checksumsCorrect(), r.checksums());
        if (!errors.isEmpty()) {
            out.printf("binding errors: %s%n", errors);
        }
        return r;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** The server dispatcher: answers pings, logs what it is told, computes checksums. */
    static final class Server implements PingPongHandler {
        final Binding binding;
        final PingPongStub stub;
        final List<String> log = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        Server(Binding binding) {
            this.binding = binding;
            binding.setErrorHandler(e -> errors.add("server: " + e.getMessage()));
            this.stub = PingPong.bind(binding, this);
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
            responder.send((int) crc.getValue(), 0L);
        }

        void runUntil(Client client) {
            while (!client.done) {
                if (binding.poll(CHANNEL_SLOTS) == 0) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** The client dispatcher: keeps a window of pings in flight, then greets and asks for checksums. */
    static final class Client implements PingPongHandler {
        final Binding binding;
        final PingPongStub stub;
        final int pings;
        final long[] rtts;
        final List<String> errors = new ArrayList<>();
        int sent;
        int pongs;
        int checksums;
        int checksumsCorrect;
        int checksumReplies;
        volatile boolean done;

        Client(Binding binding, int pings) {
            this.binding = binding;
            this.pings = pings;
            this.rtts = new long[pings];
            binding.setErrorHandler(e -> errors.add("client: " + e.getMessage()));
            this.stub = PingPong.bind(binding, this);
        }

        @Override
        public void pong(PingPong.Stamp s) {
            if (s.seq() != pongs) {
                errors.add("client: pong " + s.seq() + " arrived when " + pongs + " was expected");
            }
            rtts[pongs++] = System.nanoTime() - s.sentAt();
        }

        void run() {
            try {
                int window = CHANNEL_SLOTS / 2;
                while (pongs < pings) {
                    while (sent < pings && sent - pongs < window) {
                        stub.ping(new PingPong.Stamp(sent++, System.nanoTime()));
                    }
                    pollOnce();
                }
                stub.say("hello from the client, after " + pongs + " pongs");

                var random = new SplittableRandom(42);
                for (int size : new int[] {0, 1, 55, 56, 57, 1000, 4096}) {
                    byte[] data = new byte[size];
                    for (int i = 0; i < size; i++) {
                        data[i] = (byte) random.nextInt(256);
                    }
                    var expected = new CRC32();
                    expected.update(data);
                    checksums++;
                    stub.checksum(data, (crc, err) -> {
                        checksumReplies++;
                        if (err == 0 && crc == (int) expected.getValue()) {
                            checksumsCorrect++;
                        }
                    });
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (checksumReplies < checksums && System.nanoTime() < deadline) {
                    pollOnce();
                }
                // The greeting went before the rpcs on the same channel, so it has been handled by now.
            } finally {
                done = true;
            }
        }

        private void pollOnce() {
            if (binding.poll(CHANNEL_SLOTS) == 0) {
                Thread.onSpinWait();
            }
        }
    }
}
