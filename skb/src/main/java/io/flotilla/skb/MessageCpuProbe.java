package io.flotilla.skb;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The CPU cost of one message, measured with both of its ends on one thread: the sender's work and the receiver's
 * for one message, one after the other, with every line the message touches already in that thread's cache. A
 * round trip between two cores ({@link RttProbe}) is this work plus the line transfers between them; this probe
 * is the part that is not a transfer, which the simulator's cost model calls the message's CPU work
 * ({@code CostModel.messageCpuCycles}, at each end).
 *
 * <p>What a message is depends on the path: {@link #bare(double)} times the bare urpc channel {@link RttProbe}
 * times (claim, write a word, publish; poll and read it), and a caller with the runtime at hand (the kernel is
 * not a dependency of the SKB) times its own path with {@link #time}.
 *
 * <p><b>How:</b> on a fresh thread pinned to core 0's host CPU, untimed messages for at least {@link #WARMUP_MILLIS}
 * and {@link #WARMUP_MESSAGES} (until the JIT has compiled the path: below), then {@link #TRIALS} trials of
 * {@link #MESSAGES_PER_TRIAL} messages, each trial timed as a whole with {@link System#nanoTime()} (one clock read
 * per message would cost as much as a message). The cost is
 * the fastest trial's time per message: each trial is already a mean over its messages, and on one thread the
 * noise only adds (an interrupt, a lost time slice, the compiler recompiling beside the probe), so the fastest
 * trial is the path's own cost. The median trial is kept beside it: where the two differ much, the host was busy
 * (or the path was not yet compiled; on the development VM they agree within 1 to 2 %).
 */
public final class MessageCpuProbe {

    /** Fewest untimed messages before the first trial. */
    public static final int WARMUP_MESSAGES = 20_000;
    /**
     * Shortest untimed warm-up, in milliseconds. A message count alone is not enough: the compiler works beside the
     * probe, and until C2 has compiled the whole path a message costs several times what it costs after. On the
     * 2-vCPU development VM at load 3, each warm-up in two fresh JVMs (runtime's path / bare channel, cycles): 20,000
     * messages only, 472 to 576 / 83 to 250; 250 ms, 530 to 1,769 / 19 to 27; 1 s, 183 to 219 / 19; 2 s, 178 to
     * 188 / 19, which is where a JVM that warmed on for 30 probes settled.
     */
    public static final long WARMUP_MILLIS = 2_000;
    /** Timed trials; odd, so the median (kept for the record) is one of them. */
    public static final int TRIALS = 21;
    /** Messages per timed trial: a trial lasts tens of microseconds, far above the clock's resolution. */
    public static final int MESSAGES_PER_TRIAL = 2_000;

    /** One message sent and received, both ends on the calling thread. */
    @FunctionalInterface
    public interface OneMessage {
        /** Sends message {@code seq} (1, 2, ...) and runs the receiver until it has taken it. */
        void send(long seq);
    }

    /**
     * A measured cost: the fastest and the median trial's time per message, in cycles of the machine's clock,
     * for both ends together.
     *
     * @param cycles       the fastest trial's, the cost (above)
     * @param medianCycles the median trial's, for the record
     * @param pinned       whether the thread was pinned to one CPU throughout
     */
    public record Cost(double cycles, double medianCycles, int trials, int messagesPerTrial, boolean pinned) {

        /** Each end's share: half of both ends together (see {@code docs/skb.md}). */
        public double perEnd() {
            return cycles / 2;
        }
    }

    private MessageCpuProbe() {}

    /** The bare urpc channel's cost per message, both ends on one pinned thread; cycles at {@code clockGhz}. */
    public static Cost bare(double clockGhz) {
        return bare(clockGhz, Duration.ofMillis(WARMUP_MILLIS));
    }

    /** As {@link #bare(double)}, warming up for {@code warmup} (and {@link #WARMUP_MESSAGES}) instead. */
    public static Cost bare(double clockGhz, Duration warmup) {
        return onCoreZero(pinned -> {
            ChannelPair channels = UrpcChannel.openPair(32, FlowControl.EPOCH);
            try {
                Channel sender = channels.left();
                Channel receiver = channels.right();
                Taker taker = new Taker();
                return time(seq -> {
                    RttProbe.send(sender, seq);
                    if (receiver.poll(taker, 1) != 1 || taker.last != seq) {
                        throw new IllegalStateException("message CPU probe: sent " + seq + ", took " + taker.last);
                    }
                }, clockGhz, pinned, warmup);
            } finally {
                channels.left().close();
                channels.right().close();
            }
        });
    }

    /**
     * Times {@code message} on the calling thread: untimed for {@code warmup} and at least {@link #WARMUP_MESSAGES}
     * messages, then {@link #TRIALS} timed trials. Sequence numbers run on from the warm-up.
     *
     * @param pinned what the result says about pinning (the caller pinned the thread, or not)
     */
    public static Cost time(OneMessage message, double clockGhz, boolean pinned, Duration warmup) {
        if (!(clockGhz > 0) || warmup.isNegative()) {
            throw new IllegalArgumentException("clock must be positive and warm-up not negative: " + clockGhz + ", "
                    + warmup);
        }
        long seq = 0;
        long warmUntil = System.nanoTime() + warmup.toNanos();
        while (seq < WARMUP_MESSAGES || System.nanoTime() - warmUntil < 0) {
            seq = send(message, seq, MESSAGES_PER_TRIAL);
        }
        long[] trials = new long[TRIALS];
        for (int t = 0; t < TRIALS; t++) {
            long t0 = System.nanoTime();
            seq = send(message, seq, MESSAGES_PER_TRIAL);
            trials[t] = System.nanoTime() - t0;
        }
        Arrays.sort(trials);
        double perNs = clockGhz / MESSAGES_PER_TRIAL;
        return new Cost(trials[0] * perNs, trials[TRIALS / 2] * perNs, TRIALS, MESSAGES_PER_TRIAL, pinned);
    }

    /**
     * Sends {@code count} messages after {@code seq}; returns the last sequence number. The warm-up and the trials
     * run this one loop, so the trials time the code the warm-up compiled: a timed loop of its own, never run
     * before, would first run interpreted (HotSpot's on-stack replacement compiles a loop only once it has turned
     * often), and the earliest trials would time the interpreter (the bare channel's median trial was 85 cycles
     * when its fastest was 30, before).
     */
    private static long send(OneMessage message, long seq, int count) {
        for (int i = 0; i < count; i++) {
            message.send(++seq);
        }
        return seq;
    }

    /**
     * Runs {@code task} on a fresh thread pinned to core 0's host CPU (the caller's own affinity is untouched),
     * telling it whether the pinning held, and returns its result.
     *
     * @throws IllegalStateException with the task's own failure as its cause, if it failed
     */
    public static <T> T onCoreZero(Function<Boolean, T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int cpu = RttProbe.onlineCpus().applyAsInt(0);
        Thread thread = new Thread(() -> {
            try {
                result.set(task.apply(RttProbe.pin(cpu)));
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        }, "message-cpu-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("message CPU probe interrupted", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("message CPU probe failed: " + failure.get(), failure.get());
        }
        return result.get();
    }

    /** The receiving end: notes the word of the frame it took. */
    private static final class Taker implements FrameHandler {
        long last;

        @Override
        public void onFrame(FrameReader frame) {
            last = frame.word(0);
        }
    }
}
