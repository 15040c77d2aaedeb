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

    static final class Event {
        long value;
    }

    /** Takes one event per poll when {@code one}, otherwise the whole available batch. */
    static final class Receiver implements EventPoller.Handler<Event> {
        long last;
        boolean one;
        boolean stopped;

        @Override
        public boolean onEvent(Event event, long sequence, boolean endOfBatch) {
            if (event.value == STOP) {
                stopped = true;
                return false;
            }
            expect(event.value, last + 1);
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

    DisruptorContestant() {
        super("disruptor");
    }

    private static EventPoller<Event> poller(RingBuffer<Event> ring) {
        EventPoller<Event> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        return poller;
    }

    private static void send(RingBuffer<Event> ring, long value) {
        while (!ring.hasAvailableCapacity(1)) {
            spinWait();
        }
        long sequence = ring.next();
        ring.get(sequence).value = value;
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
        Receiver receiver = new Receiver();
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
        Receiver receiver = new Receiver();
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
        Receiver receiver = new Receiver();
        clock.start();
        while (!receiver.stopped) {
            if (!poll(requestPoller, receiver)) {
                spinWait();
            }
            clock.tick(receiver.last);
        }
    }
}
