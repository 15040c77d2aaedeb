package io.flotilla.experiments.transport;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import org.HdrHistogram.Histogram;

/**
 * A Flotilla channel (urpc, or any transport's {@link ChannelPair}): a one-frame message, the sequence number in
 * payload word 0, published with a one-way control word.
 */
final class ChannelContestant extends Contestant {

    static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0);

    private final Channel main;
    private final Channel worker;

    /** urpc between the two threads with the given flow control. */
    static ChannelContestant urpc(String key, FlowControl flow) {
        return urpc(key, flow, Math.max(1, CAPACITY / 2));
    }

    /** urpc with the epoch scheme's ack batch (frames between acks) set. */
    static ChannelContestant urpc(String key, FlowControl flow, int ackBatch) {
        return new ChannelContestant(key, UrpcChannel.openPair(CAPACITY, flow, ackBatch));
    }

    /** Any channel: {@code left} is the main thread's end, {@code right} the worker's. */
    ChannelContestant(String key, ChannelPair pair) {
        super(key);
        main = pair.left();
        worker = pair.right();
    }

    @Override
    void close() {
        main.close();
        worker.close();
    }

    /** Remembers the last value it was handed, and checks the sequence. */
    static final class Receiver implements FrameHandler {
        long last;
        boolean stopped;

        @Override
        public void onFrame(FrameReader frame) {
            long value = frame.word(0);
            if (value == STOP) {
                stopped = true;
                return;
            }
            expect(value, last + 1);
            last = value;
        }
    }

    static void send(Channel channel, long value) {
        while (channel.writableFrames() == 0) {
            spinWait();
        }
        FrameWriter w = channel.claim();
        w.putWord(0, value);
        w.publish(CONTROL);
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        Receiver replies = new Receiver();
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            send(main, ++i);
            while (main.poll(replies, 1) == 0) {
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        send(main, STOP);
        return i;
    }

    @Override
    void echo() {
        Receiver requests = new Receiver();
        while (true) {
            while (worker.poll(requests, 1) == 0) {
                spinWait();
            }
            if (requests.stopped) {
                return;
            }
            send(worker, requests.last);
        }
    }

    @Override
    long produce(long deadline) {
        long i = 0;
        do {
            send(main, ++i);
        } while (!expired(i, deadline));
        send(main, STOP);
        return i;
    }

    @Override
    void consume(BatchClock clock) {
        Receiver requests = new Receiver();
        clock.start();
        while (!requests.stopped) {
            if (worker.poll(requests, CAPACITY) == 0) {
                spinWait();
            }
            clock.tick(requests.last);
        }
    }
}
