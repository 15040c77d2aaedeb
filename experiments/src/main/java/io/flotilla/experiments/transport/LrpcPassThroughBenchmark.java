package io.flotilla.experiments.transport;

import io.flotilla.binding.Binding;
import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.experiments.codec.generated.LrpcBench;
import io.flotilla.experiments.codec.generated.LrpcBenchHandler;
import io.flotilla.experiments.codec.generated.LrpcBenchStub;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.lrpc.LrpcChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Same-core send and receive of a long message through the generated stub, binding and decoder on one lrpc channel,
 * on one thread: {@code passed} lets lrpc carry the message object (one frame, an array copy), {@code marshalled}
 * puts the same channel behind a frame writer that cannot attach objects, so the stub packs the message into frames
 * and the decoder unpacks them, as on every other transport. Both receive into a handler that consumes the string
 * or array.
 *
 * <pre>java -jar experiments/target/benchmarks.jar LrpcPassThroughBenchmark -f 1 -wi 3 -i 5 -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class LrpcPassThroughBenchmark {

    @Param({"passed", "marshalled"})
    public String mode;

    private LrpcBenchStub stub;
    private Binding receiver;
    private String text;
    private byte[] data;

    /** Consumes what arrives, so the JIT cannot drop the decoding. */
    static final class Sink implements LrpcBenchHandler {
        Blackhole bh;

        @Override
        public void say(String text) {
            bh.consume(text);
        }

        @Override
        public void buffer(byte[] data) {
            bh.consume(data);
        }
    }

    @Setup(Level.Trial)
    public void open(Blackhole bh) {
        ChannelPair pair = LrpcChannel.open(128);
        Channel tx = mode.equals("passed") ? pair.left() : new FramesOnly(pair.left());
        Binding sender = new Binding(tx);
        receiver = new Binding(pair.right());
        stub = LrpcBench.bind(sender, new LrpcBenchHandler() {});
        Sink sink = new Sink();
        sink.bh = bh;
        LrpcBench.bind(receiver, sink);
        var sb = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            sb.append((char) ('a' + i % 26));
        }
        text = sb.toString();
        data = new byte[4096];
        Arrays.fill(data, (byte) 0x5A);
    }

    /** A 256-character line, {@code say}. */
    @Benchmark
    public void say256() {
        stub.say(text);
        receiver.poll(128);
    }

    /** A 4096-byte buffer. */
    @Benchmark
    public void buffer4096() {
        stub.buffer(data);
        receiver.poll(128);
    }

    /**
     * An lrpc end whose frames cannot carry objects: every call goes to the lrpc end, but the writer it hands out
     * is this one, which keeps the default {@link FrameWriter#canAttach()} (false).
     */
    static final class FramesOnly implements Channel, FrameWriter {
        private final Channel inner;
        private FrameWriter writer;

        FramesOnly(Channel inner) {
            this.inner = inner;
        }

        @Override
        public int writableFrames() {
            return inner.writableFrames();
        }

        @Override
        public FrameWriter claim() {
            writer = inner.claim();
            return this;
        }

        @Override
        public void putWord(int index, long value) {
            writer.putWord(index, value);
        }

        @Override
        public void publish(long control) {
            writer.publish(control);
        }

        @Override
        public int poll(FrameHandler handler, int limit) {
            return inner.poll(handler, limit);
        }

        @Override
        public int capacity() {
            return inner.capacity();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
