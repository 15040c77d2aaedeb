package io.flotilla.experiments.transport;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.HdrHistogram.Histogram;

/**
 * LMAX Disruptor: a single-producer {@link RingBuffer} of preallocated events per direction, consumed with an
 * {@link EventPoller} on our own thread (no BatchEventProcessor threads), so the threads are the same as everyone's.
 */
final class DisruptorContestant extends Contestant {

    /** One message: word 0 and, in a full-frame run, words 1-6 (unused and unpadded in an 8-byte run). */
    static final class Event {
        long value;
        long w1, w2, w3, w4, w5, w6;
    }

    /** Takes one event per poll when {@code one}, otherwise the whole available batch. */
    static final class Receiver implements EventPoller.Handler<Event> {
        final boolean full;
        long last;
        boolean one;
        boolean stopped;

        Receiver(boolean full) {
            this.full = full;
        }

        @Override
        public boolean onEvent(Event event, long sequence, boolean endOfBatch) {
            if (event.value == STOP) {
                stopped = true;
                return false;
            }
            expect(event.value, last + 1);
            if (full) {
                long seq = event.value;
                expectWord(seq, 1, event.w1);
                expectWord(seq, 2, event.w2);
                expectWord(seq, 3, event.w3);
                expectWord(seq, 4, event.w4);
                expectWord(seq, 5, event.w5);
                expectWord(seq, 6, event.w6);
            }
            last = event.value;
            return !one;
        }
    }

    private final RingBuffer<Event> requests = RingBuffer.createSingleProducer(Event::new, CAPACITY,
            new BusySpinWaitStrategy());
    private final RingBuffer<Event> replies = RingBuffer.createSingleProducer(Event::new, CAPACITY,
            new BusySpinWaitStrategy());
    private final EventPoller<Event> requestPoller = poller(requests);
    private final EventPoller<Event> replyPoller = poller(replies);

    private final boolean full;

    DisruptorContestant() {
        this(1);
    }

    /** With messages of {@code words} words (1 or {@link #FULL}), written into the preallocated events. */
    DisruptorContestant(int words) {
        super("disruptor", words);
        full = words == FULL;
    }

    private static EventPoller<Event> poller(RingBuffer<Event> ring) {
        EventPoller<Event> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        return poller;
    }

    private void send(RingBuffer<Event> ring, long value) {
        while (!ring.hasAvailableCapacity(1)) {
            spinWait();
        }
        long sequence = ring.next();
        Event event = ring.get(sequence);
        event.value = value;
        if (full) {
            event.w1 = word(value, 1);
            event.w2 = word(value, 2);
            event.w3 = word(value, 3);
            event.w4 = word(value, 4);
            event.w5 = word(value, 5);
            event.w6 = word(value, 6);
        }
        ring.publish(sequence);
    }

    private static boolean poll(EventPoller<Event> poller, Receiver receiver) {
        try {
            return poller.poll(receiver) == EventPoller.PollState.PROCESSING;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        Receiver receiver = new Receiver(full);
        receiver.one = true;
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            send(requests, ++i);
            while (!poll(replyPoller, receiver)) {
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        send(requests, STOP);
        return i;
    }

    @Override
    void echo() {
        Receiver receiver = new Receiver(full);
        receiver.one = true;
        while (true) {
            while (!poll(requestPoller, receiver)) {
                spinWait();
            }
            if (receiver.stopped) {
                return;
            }
            send(replies, receiver.last);
        }
    }

    @Override
    long produce(long deadline) {
        long i = 0;
        do {
            send(requests, ++i);
        } while (!expired(i, deadline));
        send(requests, STOP);
        return i;
    }

    @Override
    void consume(BatchClock clock) {
        Receiver receiver = new Receiver(full);
        clock.start();
        while (!receiver.stopped) {
            if (!poll(requestPoller, receiver)) {
                spinWait();
            }
            clock.tick(receiver.last);
        }
    }
}
