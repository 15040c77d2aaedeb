package io.flotilla.experiments.transport;

import io.flotilla.binding.Binding;
import io.flotilla.binding.Continuation;
import io.flotilla.channel.ChannelPair;
import io.flotilla.experiments.codec.generated.CodecBench;
import io.flotilla.experiments.codec.generated.CodecBenchHandler;
import io.flotilla.experiments.codec.generated.CodecBenchStub;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.loopback.LoopbackChannel;
import io.flotilla.transport.lrpc.LrpcChannel;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One-frame messages through a {@link Binding} on a urpc channel, one thread sending and receiving, in a JVM whose
 * bindings have seen only urpc ({@code mixed=false}) or, before the measurement, also lrpc and the loopback channel
 * ({@code mixed=true}), as in a program whose cores use several transports. A binding calls its channel through
 * the {@code Channel} interface, and the JIT's type profile of those call sites is shared by every binding of the
 * JVM: with three channel classes behind them they turn megamorphic. This measures what that costs a urpc message.
 *
 * <pre>java -jar experiments/target/benchmarks.jar BindingDispatchBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class BindingDispatchBenchmark {

    @Param({"false", "true"})
    public boolean mixed;

    private Binding tx;
    private Binding rx;
    private long received;
    private CodecBenchStub stub;
    private Binding stubRx;
    private long counter;

    /** Sums what it receives, so that the JIT cannot drop the decoding. */
    private final class Sum implements CodecBenchHandler {
        @Override
        public void small(long a, long b, long c, int d, int e, short f, byte g, boolean h, long i, long j) {
            received += a + b + c + d + e + f + g + (h ? 1 : 0) + i + j;
        }
    }

    private final Sum sum = new Sum();

    @Setup
    public void open() {
        if (mixed) {
            // Enough traffic through the other transports for the profiles of Binding's call sites to record them.
            exercise(LrpcChannel::open);
            exercise(LoopbackChannel::open);
        }
        exercise(slots -> UrpcChannel.openPair(slots, FlowControl.EPOCH));
        ChannelPair pair = UrpcChannel.openPair(32, FlowControl.EPOCH);
        tx = new Binding(pair.left());
        rx = new Binding(pair.right());
        rx.setReceiver(frame -> received += frame.word(0));
        ChannelPair stubPair = UrpcChannel.openPair(32, FlowControl.EPOCH);
        stub = CodecBench.bind(new Binding(stubPair.left()), new CodecBenchHandler() {});
        stubRx = new Binding(stubPair.right());
        CodecBench.bind(stubRx, sum);
    }

    private void exercise(IntFunction<ChannelPair> transport) {
        ChannelPair pair = transport.apply(32);
        Binding a = new Binding(pair.left());
        Binding b = new Binding(pair.right());
        b.setReceiver(frame -> received += frame.word(0));
        for (int i = 0; i < 200_000; i++) {
            send(a, i);
            b.poll(1);
        }
        // The same through generated code: the stub's and decoder's frame calls see this transport too.
        ChannelPair stubs = transport.apply(32);
        CodecBenchStub s = CodecBench.bind(new Binding(stubs.left()), new CodecBenchHandler() {});
        Binding r = new Binding(stubs.right());
        CodecBench.bind(r, sum);
        for (int i = 0; i < 200_000; i++) {
            sendSmall(s, i);
            r.poll(1);
        }
    }

    private static void sendSmall(CodecBenchStub stub, long n) {
        if (!stub.trySmall(n, n + 1, n + 2, (int) n, (int) n + 1, (short) n, (byte) n, (n & 1) == 0, -n, ~n)) {
            throw new IllegalStateException("channel full");
        }
    }

    private static void send(Binding binding, long value) {
        FrameWriter w = binding.claim();
        w.putWord(0, value);
        w.publish(ChannelContestant.CONTROL);
        binding.endMessage(Continuation.NONE);
    }

    @Benchmark
    public long sendAndReceive() {
        send(tx, received);
        rx.poll(1);
        return received;
    }

    @Benchmark
    public long stubAndDecoder() {
        sendSmall(stub, counter++);
        stubRx.poll(1);
        return received;
    }
}
