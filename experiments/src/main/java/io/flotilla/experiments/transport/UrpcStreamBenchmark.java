package io.flotilla.experiments.transport;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * One-way urpc throughput: one thread sends one-frame messages, another polls them (JMH asymmetric group). Both
 * operations are non-blocking, so a full or empty ring costs a failed attempt, not a hang. The score counts
 * attempts; the {@code received} counter is the message rate ({@code sendFull}/{@code receiveEmpty} count failed
 * attempts). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per operation (0).
 *
 * <pre>java -jar experiments/target/benchmarks.jar UrpcStreamBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class UrpcStreamBenchmark {

    static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0);

    @Param({"epoch", "used-bit"})
    public String flowControl;

    private Channel tx;
    private Channel rx;
    private final Counter counter = new Counter();
    private long next;

    /** Sums what it receives, so nothing is optimised away. */
    static final class Counter implements FrameHandler {
        long sum;

        @Override
        public void onFrame(FrameReader frame) {
            sum += frame.word(0);
        }
    }

    /** Sender's counters, reset every iteration. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class SendCounts {
        public long sent;
        public long sendFull;

        @Setup(Level.Iteration)
        public void clear() {
            sent = 0;
            sendFull = 0;
        }
    }

    /** Receiver's counters, reset every iteration. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class ReceiveCounts {
        public long received;
        public long receiveEmpty;

        @Setup(Level.Iteration)
        public void clear() {
            received = 0;
            receiveEmpty = 0;
        }
    }

    @Setup(Level.Trial)
    public void open() {
        ChannelPair pair = UrpcChannel.openPair(32, FlowControl.parse(flowControl));
        tx = pair.left();
        rx = pair.right();
    }

    @Benchmark
    @Group("stream")
    @GroupThreads(1)
    public void send(SendCounts counts) {
        if (tx.writableFrames() == 0) {
            counts.sendFull++;
            return;
        }
        FrameWriter w = tx.claim();
        w.putWord(0, ++next);
        w.publish(CONTROL);
        counts.sent++;
    }

    @Benchmark
    @Group("stream")
    @GroupThreads(1)
    public void receive(ReceiveCounts counts) {
        if (rx.poll(counter, 1) == 0) {
            counts.receiveEmpty++;
        } else {
            counts.received++;
        }
    }
}
