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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * urpc round trip of a one-frame message: the benchmark thread sends, an echo thread (started with the trial)
 * sends it back. Run with {@code -prof gc} to see 0 bytes allocated per round trip on the benchmark thread; the
 * echo thread runs the same code.
 *
 * <pre>java -jar experiments/target/benchmarks.jar UrpcRoundTripBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class UrpcRoundTripBenchmark {

    static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0);

    @Param({"epoch", "used-bit"})
    public String flowControl;

    private Channel client;
    private Thread echo;
    private volatile boolean running;
    private final Last reply = new Last();
    private long next;

    static final class Last implements FrameHandler {
        long value;

        @Override
        public void onFrame(FrameReader frame) {
            value = frame.word(0);
        }
    }

    static void send(Channel channel, long value) {
        while (channel.writableFrames() == 0) {
            Thread.onSpinWait();
        }
        FrameWriter w = channel.claim();
        w.putWord(0, value);
        w.publish(CONTROL);
    }

    @Setup(Level.Trial)
    public void open() {
        ChannelPair pair = UrpcChannel.openPair(32, FlowControl.parse(flowControl));
        client = pair.left();
        Channel server = pair.right();
        running = true;
        echo = new Thread(() -> {
            Last request = new Last();
            while (running) {
                if (server.poll(request, 1) == 1) {
                    send(server, request.value);
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "urpc-echo");
        echo.setDaemon(true);
        echo.start();
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        running = false;
        echo.join();
    }

    @Benchmark
    public long roundTrip() {
        long value = ++next;
        send(client, value);
        while (client.poll(reply, 1) == 0) {
            Thread.onSpinWait();
        }
        if (reply.value != value) {
            throw new IllegalStateException("reply " + reply.value + " to " + value);
        }
        return value;
    }
}
