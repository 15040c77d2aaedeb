package io.flotilla.examples.pingpong;

import io.flotilla.binding.Binding;
import io.flotilla.binding.EventLoop;
import io.flotilla.binding.RpcException;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.examples.pingpong.generated.PingPong;
import io.flotilla.examples.pingpong.generated.PingPongBlockingStub;
import io.flotilla.examples.pingpong.generated.PingPongFutureStub;
import io.flotilla.examples.pingpong.generated.PingPongHandler;
import io.flotilla.examples.pingpong.generated.PingPongStub;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/**
 * The checksum rpc off the happy path, on plain threads with no poll loop written by hand: each end lives on an
 * {@link EventLoop}, the client calls through the generated future and blocking stubs with deadlines, and every
 * call ends with its result or a status the caller can switch on. The server refuses an empty buffer by throwing,
 * which reaches the client as {@code HANDLER_FAILED} with the server's message; it never answers a 13-byte
 * buffer, which ends as {@code DEADLINE_EXCEEDED}.
 *
 * <p>Run it with {@code java -cp ... io.flotilla.examples.pingpong.PingPongFutures}.
 */
public final class PingPongFutures {

    /** Slots per direction: urpc between two threads, bigger than the 32 a ring gets by default (see bindings.md). */
    static final int SLOTS = 256;
    /** The buffer size this server never answers. */
    static final int UNLUCKY = 13;

    private PingPongFutures() {}

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** Runs the calls and returns what each ended with, one line each, as printed. */
    public static List<String> run(PrintStream out) throws Exception {
        var lines = new ArrayList<String>();
        var serverErrors = new java.util.concurrent.CopyOnWriteArrayList<String>();
        ChannelPair channel = TransportRegistry.discover().get("urpc")
                .open(Endpoint.local(0), Endpoint.local(1), ChannelOptions.DEFAULT.withSlots(SLOTS));
        try (EventLoop serverLoop = EventLoop.start("server-loop"); EventLoop clientLoop = EventLoop.start("client-loop")) {
            Binding serverEnd = new Binding(channel.right());
            serverEnd.setErrorHandler(e -> serverErrors.add("server's error handler: " + e.getMessage()));
            PingPong.bind(serverEnd, new Server());
            serverLoop.add(serverEnd);

            Binding clientEnd = new Binding(channel.left());
            PingPongStub stub = PingPong.bind(clientEnd, new PingPongHandler() {});
            clientLoop.add(clientEnd);
            var futures = new PingPongFutureStub(stub);
            var blocking = new PingPongBlockingStub(futures, clientLoop);

            // 1. A blocking call with a deadline, from this plain thread.
            PingPong.ChecksumResult r = blocking.checksum(new byte[] {1, 2, 3}, Duration.ofSeconds(5));
            lines.add("checksum of 3 bytes: crc " + Integer.toHexString(r.crc()) + ", err " + r.err());

            // 2. A future call made on the client's loop: the server's exception arrives as a status.
            var empty = new CompletableFuture<String>();
            clientLoop.execute(() -> futures.checksum(new byte[0], Duration.ofSeconds(5)).whenComplete((v, e) ->
                    empty.complete(e instanceof RpcException x ? x.getMessage() : "reply " + v)));
            lines.add("checksum of 0 bytes: " + empty.get());

            // 3. A call the server never answers ends at its deadline.
            try {
                blocking.checksum(new byte[UNLUCKY], Duration.ofMillis(50));
                lines.add("checksum of 13 bytes: answered?");
            } catch (RpcException e) {
                lines.add("checksum of 13 bytes: " + e.status());
            }

            // 4. Blocking on a loop thread fails at once rather than deadlock.
            var onLoop = new CompletableFuture<String>();
            clientLoop.execute(() -> {
                try {
                    blocking.checksum(new byte[1]);
                    onLoop.complete("returned?");
                } catch (IllegalStateException e) {
                    onLoop.complete("refused");
                }
            });
            lines.add("blocking call on the client's loop thread: " + onLoop.get());
        }
        lines.addAll(serverErrors); // the server sees what its handler threw, too
        lines.forEach(out::println);
        return lines;
    }

    /** Checksums buffers; refuses empty ones by throwing, and never answers the unlucky size. */
    static final class Server implements PingPongHandler {
        @Override
        public void checksum(byte[] data, PingPong.ChecksumResponder responder) {
            if (data.length == 0) {
                throw new IllegalArgumentException("nothing to checksum");
            }
            if (data.length == UNLUCKY) {
                return; // keeps the responder: the call stays unanswered
            }
            var crc = new CRC32();
            crc.update(data);
            responder.send((int) crc.getValue(), 0L);
        }
    }
}
