package io.flotilla.experiments.transport;

import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.urpc.UrpcChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link ProcessUrpcContestant}: attaches to the channel file and echoes every frame except
 * the end-of-phase message until the parent closes the channel. Between phases it spins a millisecond, then parks
 * in naps that double from {@value #FIRST_NAP_NANOS} ns to {@value #LONGEST_NAP_NANOS} ns, so it does not take a CPU
 * from the other contestants while idle. Why they grow: the child lives for the whole bench run (every contestant is
 * made before the first round), and at a constant 50 µs it woke 20,000 times a second, each time taking a CPU from
 * one of the two pinned threads of whatever contestant was being measured; with it the runtime contestant streamed
 * 31-32 Mmsg/s instead of 39-41 (docs/benchmarks.md). The first message of the next phase waits at most one nap,
 * which the phase's warm-up absorbs. A parent killed outright (the
 * bench interrupted with kill -9) never closes the channel, so an idle echo also looks every 100 ms whether its
 * parent is still alive and exits when it is not, rather than napping forever beside the next benchmark.
 */
public final class UrpcEchoProcess {

    static final long FIRST_NAP_NANOS = 50_000;
    static final long LONGEST_NAP_NANOS = 5_000_000;

    private UrpcEchoProcess() {}

    public static void main(String[] args) throws Exception {
        boolean handBack = args.length > 1 && Boolean.parseBoolean(args[1]);
        UrpcChannel channel = UrpcChannel.attach(Path.of(args[0]), Duration.ofSeconds(30), handBack);
        FrameHandler echo = frame -> {
            if (frame.word(0) == Contestant.STOP) {
                return;
            }
            FrameWriter w = channel.claim(); // polled no more frames than there is room to echo
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                w.putWord(i, frame.word(i));
            }
            w.publish(frame.control());
        };
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        long idleSince = System.nanoTime();
        long parentChecked = idleSince;
        long nap = FIRST_NAP_NANOS;
        while (channel.isOpen()) {
            int room = channel.writableFrames();
            if (room > 0 && channel.poll(echo, room) > 0) {
                idleSince = System.nanoTime();
                nap = FIRST_NAP_NANOS;
            } else if (System.nanoTime() - idleSince > 1_000_000L) {
                LockSupport.parkNanos(nap);
                nap = Math.min(2 * nap, LONGEST_NAP_NANOS);
                if (System.nanoTime() - parentChecked > 100_000_000L) {
                    parentChecked = System.nanoTime();
                    if (parent == null || !parent.isAlive()) {
                        System.err.println("urpc echo: the benchmark that started it is gone; exiting");
                        System.exit(3);
                    }
                }
            } else {
                Thread.onSpinWait();
            }
        }
        channel.close();
    }
}
