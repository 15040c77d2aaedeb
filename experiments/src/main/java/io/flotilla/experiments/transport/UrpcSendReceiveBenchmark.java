package io.flotilla.experiments.transport;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.SlotSpacing;
import io.flotilla.transport.urpc.UrpcChannel;
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

/**
 * The urpc code path alone: one thread publishes a one-frame message and polls it back out of the same ring, so no
 * cache line moves between cores. It shows the instructions' cost of each scheme and, with {@code -prof gc}, that a
 * message allocates nothing; being single-threaded it is also stable on a machine shared with other work.
 *
 * <pre>java -jar experiments/target/benchmarks.jar UrpcSendReceiveBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class UrpcSendReceiveBenchmark {

    static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0);

    /** A scheme's name, or "epoch-hand-back": the epoch scheme as UrpcTransport opens it where cores share a cache. */
    @Param({"epoch", "epoch-hand-back", "used-bit"})
    public String flowControl;

    private Channel tx;
    private Channel rx;
    private final Sum sum = new Sum();
    private long next;

    static final class Sum implements FrameHandler {
        long total;

        @Override
        public void onFrame(FrameReader frame) {
            total += frame.word(0);
        }
    }

    @Setup(Level.Trial)
    public void open() {
        ChannelPair pair = flowControl.equals("epoch-hand-back")
                ? UrpcChannel.openPair(32, FlowControl.EPOCH, 16, true, SlotSpacing.SPREAD)
                : UrpcChannel.openPair(32, FlowControl.parse(flowControl));
        tx = pair.left();
        rx = pair.right();
    }

    @Benchmark
    public long sendAndReceive() {
        if (tx.writableFrames() == 0) {
            throw new IllegalStateException("ring full");
        }
        FrameWriter w = tx.claim();
        w.putWord(0, ++next);
        w.publish(CONTROL);
        rx.poll(sum, 1);
        return sum.total;
    }
}
