package io.flotilla.platform.pinned;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.Metrics;
import io.flotilla.machine.Machines;
import io.flotilla.transport.loopback.LoopbackChannel;
import org.junit.jupiter.api.Test;

/** What a metered pair reports, and that reporting allocates nothing per frame. */
class MeteredChannelTest {

    @Test
    void countsFramesMessagesAndLatencyOfEveryMessage() {
        Metrics metrics = new Metrics();
        metrics.boot(Machines.load("amd-2x2"), 2);
        long[] clock = {100};
        ChannelPair pair = MeteredChannel.pair(LoopbackChannel.open(8), 0, 1, metrics, core -> clock[0]);
        long[] seen = new long[1];
        for (int m = 0; m < 20; m++) {
            send(pair, m, m % 2 == 0 ? 1 : 3); // one- and three-frame messages
            clock[0] += 50;
            while (pair.right().poll(f -> seen[0]++, 8) > 0) {
                // drain
            }
        }
        assertThat(seen[0]).isEqualTo(10 + 30);
        assertThat(metrics.messagesSent(0)).isEqualTo(20);
        assertThat(metrics.framesSent(0)).isEqualTo(40);
        assertThat(metrics.messagesReceived(1)).isEqualTo(20);
        assertThat(metrics.framesReceived(1)).isEqualTo(40);
        assertThat(metrics.bytesSent()).isEqualTo(40 * 64);
        assertThat(metrics.latencyPercentile(50)).isEqualTo(50);
        assertThat(metrics.latencyMax()).isEqualTo(50);
        assertThat(metrics.timedMessages()).isEqualTo(20);
    }

    @Test
    void aSampledPairCountsEveryMessageAndTimesOneIn64() {
        Metrics metrics = new Metrics();
        metrics.boot(Machines.load("amd-2x2"), 2);
        long[] clock = {100};
        ChannelPair pair = MeteredChannel.pair(LoopbackChannel.open(8), 0, 1, metrics, core -> clock[0], true);
        long firstFrame = 0;
        long sampled = 0;
        for (int m = 0; m < 300; m++) {
            int frames = m % 2 == 0 ? 1 : 3;
            if (firstFrame % MeteredChannel.SAMPLE == 0) {
                sampled++;
            }
            firstFrame += frames;
            send(pair, m, frames);
            clock[0] += 50;
            while (pair.right().poll(f -> { }, 8) > 0) {
                // drain
            }
        }
        assertThat(metrics.messagesSent(0)).isEqualTo(300);
        assertThat(metrics.framesSent(0)).isEqualTo(600);
        assertThat(metrics.messagesReceived(1)).isEqualTo(300);
        assertThat(metrics.framesReceived(1)).isEqualTo(600);
        // Messages whose first frame's sequence is a multiple of 64: the receiver times exactly those the sender
        // stamped (a stale stamp would show as a latency other than 50).
        assertThat(sampled).isBetween(2L, 300L / 2);
        assertThat(metrics.timedMessages()).isEqualTo(sampled);
        assertThat(metrics.latencyPercentile(0)).isEqualTo(50);
        assertThat(metrics.latencyMax()).isEqualTo(50);
    }

    @Test
    void passesLrpcObjectHandOffThroughAndStillCountsTheFrame() {
        Metrics metrics = new Metrics();
        metrics.boot(Machines.load("amd-2x2"), 2);
        ChannelPair pair = MeteredChannel.pair(io.flotilla.transport.lrpc.LrpcChannel.open(4), 0, 0, metrics, c -> 1);
        FrameWriter w = pair.left().claim();
        assertThat(w.canAttach()).isTrue();
        Object message = new Object();
        w.attach(message);
        w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 1));
        Object[] seen = new Object[1];
        assertThat(pair.right().poll(f -> seen[0] = f.attachment(), 4)).isEqualTo(1);
        assertThat(seen[0]).isSameAs(message);
        assertThat(metrics.framesSent(0)).isEqualTo(1);
        assertThat(metrics.messagesReceived(0)).isEqualTo(1);

        FrameWriter over = MeteredChannel.pair(LoopbackChannel.open(4), 0, 1, metrics, c -> 1).left().claim();
        assertThat(over.canAttach()).isFalse();
    }

    @Test
    void aCountingEndCountsWithoutALatency() {
        Metrics metrics = new Metrics();
        metrics.boot(Machines.load("amd-2x2"), 2);
        ChannelPair raw = LoopbackChannel.open(8);
        MeteredChannel left = MeteredChannel.counting(raw.left(), 0, metrics, c -> 7);
        MeteredChannel right = MeteredChannel.counting(raw.right(), 1, metrics, c -> 9);
        send(new ChannelPair(left, right), 1, 2);
        right.poll(f -> { }, 8);
        assertThat(metrics.messagesSent(0)).isEqualTo(1);
        assertThat(metrics.messagesReceived(1)).isEqualTo(1);
        assertThat(metrics.framesReceived(1)).isEqualTo(2);
        assertThat(metrics.timedMessages()).isZero();
    }

    @Test
    void meteringAllocatesNothingPerFrame() {
        Metrics metrics = new Metrics();
        metrics.boot(Machines.load("amd-2x2"), 2);
        // A clock that ticks per read keeps latencies bounded, so the histogram stops growing during the warm-up and
        // what is measured is the metering itself (a real clock's outliers would make it resize, which allocates).
        long[] ticks = {0};
        ChannelPair pair = MeteredChannel.pair(LoopbackChannel.open(64), 0, 1, metrics, core -> ticks[0]++);
        Runnable round = () -> {
            for (int i = 0; i < 32; i++) {
                send(pair, i, 1);
            }
            while (pair.right().poll(f -> { }, 64) > 0) {
                // drain
            }
        };
        for (int i = 0; i < 5_000; i++) {
            round.run(); // warm-up: JIT, and the histogram grows to its range
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(me);
        for (int i = 0; i < 5_000; i++) {
            round.run();
        }
        long allocated = threads.getThreadAllocatedBytes(me) - before;
        assertThat(allocated).as("bytes allocated for 160k metered frames").isLessThan(20_000);
    }

    private static void send(ChannelPair pair, long value, int frames) {
        for (int f = 0; f < frames; f++) {
            FrameWriter w = pair.left().claim();
            w.putWord(0, value);
            w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, f, f == frames - 1, 0));
        }
    }
}
