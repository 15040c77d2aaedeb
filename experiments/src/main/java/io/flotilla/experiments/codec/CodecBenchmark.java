package io.flotilla.experiments.codec;

import io.flotilla.binding.Binding;
import io.flotilla.channel.ChannelPair;
import io.flotilla.experiments.codec.generated.CodecBench;
import io.flotilla.experiments.codec.generated.CodecBenchHandler;
import io.flotilla.experiments.codec.generated.CodecBenchStub;
import io.flotilla.frame.FrameHandler;
import io.flotilla.transport.loopback.LoopbackChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of the generated frame codec, on one thread, through the real stub, binding and decoder.
 *
 * <p>Both ends of an in-memory channel live on the benchmark thread, so what is measured is marshalling and
 * unmarshalling (plus a ring slot write and read per frame), not a cache line crossing cores: that is the
 * transport benchmarks' job. Run with {@code -prof gc} to see the allocation per operation: encoding fixed-size
 * messages must allocate nothing, and so must decoding {@code small}.
 *
 * <pre>java -jar experiments/target/benchmarks.jar CodecBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CodecBenchmark {

    private Binding sender;
    private Binding receiver;
    private CodecBenchStub stub;
    private ChannelPair channel;
    private CodecBench.Block block;
    private FrameHandler discard;
    private long counter;

    /** Consumes every decoded argument so the JIT cannot drop the decoding. */
    static final class Sink implements CodecBenchHandler {
        Blackhole bh;

        @Override
        public void small(long a, long b, long c, int d, int e, short f, byte g, boolean h, long i, long j) {
            bh.consume(a);
            bh.consume(b);
            bh.consume(c);
            bh.consume(d);
            bh.consume(e);
            bh.consume(f);
            bh.consume(g);
            bh.consume(h);
            bh.consume(i);
            bh.consume(j);
        }

        @Override
        public void large(CodecBench.Block b) {
            bh.consume(b);
        }
    }

    private final Sink sink = new Sink();

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        channel = LoopbackChannel.open(16);
        sender = new Binding(channel.left());
        receiver = new Binding(channel.right());
        stub = CodecBench.bind(sender, new CodecBenchHandler() {});
        sink.bh = bh;
        CodecBench.bind(receiver, sink);
        long[] words = new long[CodecBench.Block.LENGTH];
        for (int i = 0; i < words.length; i++) {
            words[i] = 0x0123_4567_89AB_CDEFL * (i + 1);
        }
        block = new CodecBench.Block(words);
        discard = frame -> bh.consume(frame.control());
    }

    /** Encode a one-frame message and decode it into the handler's arguments. */
    @Benchmark
    public void oneFrameEncodeDecode() {
        long n = counter++;
        if (!stub.trySmall(n, n + 1, n + 2, (int) n, (int) n + 1, (short) n, (byte) n, (n & 1) == 0, -n, ~n)) {
            throw new IllegalStateException("channel full");
        }
        receiver.poll(1);
    }

    /** Encode a one-frame message; the peer only releases the slot (no decoding). */
    @Benchmark
    public void oneFrameEncode() {
        long n = counter++;
        if (!stub.trySmall(n, n + 1, n + 2, (int) n, (int) n + 1, (short) n, (byte) n, (n & 1) == 0, -n, ~n)) {
            throw new IllegalStateException("channel full");
        }
        channel.right().poll(discard, 1);
    }

    /** Encode an eight-frame message and decode it (decoding allocates the received block). */
    @Benchmark
    public void eightFramesEncodeDecode() {
        if (!stub.tryLarge(block)) {
            throw new IllegalStateException("channel full");
        }
        receiver.poll(8);
    }

    /** Encode an eight-frame message; the peer only releases the slots. */
    @Benchmark
    public void eightFramesEncode() {
        if (!stub.tryLarge(block)) {
            throw new IllegalStateException("channel full");
        }
        channel.right().poll(discard, 8);
    }
}
