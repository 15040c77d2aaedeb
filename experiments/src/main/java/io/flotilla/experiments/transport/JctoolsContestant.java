package io.flotilla.experiments.transport;

import org.HdrHistogram.Histogram;
import org.jctools.queues.SpscArrayQueue;

/** JCTools' {@link SpscArrayQueue} of preallocated message objects. */
final class JctoolsContestant extends Contestant {

    private final SpscArrayQueue<Msg> requests = new SpscArrayQueue<>(CAPACITY);
    private final SpscArrayQueue<Msg> replies = new SpscArrayQueue<>(CAPACITY);
    private final Msg[] requestPool = pool();
    private final Msg[] replyPool = pool();

    JctoolsContestant() {
        this(1);
    }

    /** With messages of {@code words} words (1 or {@link #FULL}), all written by the producer and read by the consumer. */
    JctoolsContestant(int words) {
        super("jctools", words);
        full = words == FULL;
    }

    private final boolean full;

    private long requestsSent;
    private long repliesSent;

    private static void send(SpscArrayQueue<Msg> queue, Msg[] pool, long position, long value, boolean full) {
        Msg msg = pool[(int) (position % POOL)];
        msg.fill(value, full);
        while (!queue.offer(msg)) {
            spinWait();
        }
    }

    private static long receive(SpscArrayQueue<Msg> queue, boolean full) {
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
