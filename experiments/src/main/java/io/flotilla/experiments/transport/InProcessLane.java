package io.flotilla.experiments.transport;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A contestant run on the calling thread (the bench's main thread, pinned) and a {@link Worker} it shares with the
 * other lanes of its JVM: every lane of {@code --one-jvm}, and the one lane of each {@link ContestantHost}.
 */
final class InProcessLane implements Lane {

    private final Contestant contestant;
    private final Worker worker;
    private final boolean pinned;

    /** {@code pinned}: whether the calling thread and {@code worker} are both pinned. */
    InProcessLane(Contestant contestant, Worker worker, boolean pinned) {
        this.contestant = contestant;
        this.worker = worker;
        this.pinned = pinned;
    }

    @Override
    public String label() {
        return contestant.label();
    }

    @Override
    public String key() {
        return contestant.key;
    }

    @Override
    public int words() {
        return contestant.words;
    }

    @Override
    public boolean measuresThroughput() {
        return contestant.measuresThroughput();
    }

    @Override
    public boolean pinned() {
        return pinned;
    }

    @Override
    public void roundTrips(int millis, Histogram into) {
        contestant.reset();
        long ticket = worker.submit(contestant::echo);
        contestant.ping(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis), into);
        worker.await(ticket);
    }

    @Override
    public double oneWay(int millis, Histogram into) {
        contestant.reset();
        BatchClock clock = new BatchClock(into);
        long ticket = worker.submit(() -> contestant.consume(clock));
        long start = System.nanoTime();
        long sent = contestant.produce(start + TimeUnit.MILLISECONDS.toNanos(millis));
        worker.await(ticket);
        long nanos = System.nanoTime() - start;
        return sent * 1e3 / nanos;
    }

    @Override
    public void close() {
        contestant.close();
    }
}
