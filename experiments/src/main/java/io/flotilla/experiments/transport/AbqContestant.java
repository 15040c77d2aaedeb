package io.flotilla.experiments.transport;

import java.util.concurrent.ArrayBlockingQueue;
import org.HdrHistogram.Histogram;

/** {@link ArrayBlockingQueue} (one lock, two conditions), used with its non-blocking offer/poll and spinning. */
final class AbqContestant extends Contestant {

    private final ArrayBlockingQueue<Msg> requests = new ArrayBlockingQueue<>(CAPACITY);
    private final ArrayBlockingQueue<Msg> replies = new ArrayBlockingQueue<>(CAPACITY);
    private final Msg[] requestPool = pool();
    private final Msg[] replyPool = pool();

    AbqContestant() {
        this(1);
    }

    /** With messages of {@code words} words (1 or {@link #FULL}), all written by the producer and read by the consumer. */
    AbqContestant(int words) {
        super("abq", words);
        full = words == FULL;
    }

    private final boolean full;

    private long requestsSent;
    private long repliesSent;

    private static void send(ArrayBlockingQueue<Msg> queue, Msg[] pool, long position, long value, boolean full) {
        Msg msg = pool[(int) (position % POOL)];
        msg.fill(value, full);
        while (!queue.offer(msg)) {
            spinWait();
        }
    }

    private static long receive(ArrayBlockingQueue<Msg> queue, boolean full) {
        Msg msg;
        while ((msg = queue.poll()) == null) {
            spinWait();
        }
        return msg.read(full);
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            send(requests, requestPool, requestsSent++, ++i, full);
            expect(receive(replies, full), i);
            record(rtt, System.nanoTime() - start);
        }
        send(requests, requestPool, requestsSent++, STOP, full);
        return i;
    }

    @Override
    void echo() {
        for (long i = 1; ; i++) {
            long value = receive(requests, full);
            if (value == STOP) {
                return;
            }
            expect(value, i);
            send(replies, replyPool, repliesSent++, value, full);
        }
    }

    @Override
    long produce(long deadline) {
        long i = 0;
        do {
            send(requests, requestPool, requestsSent++, ++i, full);
        } while (!expired(i, deadline));
        send(requests, requestPool, requestsSent++, STOP, full);
        return i;
    }

    @Override
    void consume(BatchClock clock) {
        clock.start();
        for (long i = 1; ; i++) {
            long value = receive(requests, full);
            if (value == STOP) {
                return;
            }
            expect(value, i);
            clock.tick(i);
        }
    }
}
