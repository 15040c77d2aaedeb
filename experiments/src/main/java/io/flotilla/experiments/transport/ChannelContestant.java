package io.flotilla.experiments.transport;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.SlotSpacing;
import io.flotilla.transport.urpc.UrpcChannel;
import org.HdrHistogram.Histogram;

/**
 * A Flotilla channel (urpc, or any transport's {@link ChannelPair}): a one-frame message, the sequence number in
 * payload word 0 (and, at 56 bytes, {@link #word} k in payload word k), published with a one-way control word.
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
        return new ChannelContestant(key, UrpcChannel.openPair(CAPACITY, flow, ackBatch), 1);
    }

    /** urpc with messages of {@code words} payload words (1 or {@link #FULL}). */
    static ChannelContestant urpcWords(String key, FlowControl flow, int words) {
        return new ChannelContestant(key, UrpcChannel.openPair(CAPACITY, flow, Math.max(1, CAPACITY / 2)), words);
    }

    /** urpc as {@code UrpcTransport} opens it between the bench's two CPUs, with messages of {@code words} words. */
    static ChannelContestant urpcAsOpened(String key, int words) {
        return new ChannelContestant(key, TransportBench.urpcPair(), words);
    }

    /** As {@link #urpcAsOpened}, but with the frames packed (the version-1 layout): what spreading them buys. */
    static ChannelContestant urpcPacked(String key, int words) {
        return new ChannelContestant(key, UrpcChannel.openPair(CAPACITY, TransportBench.defaultFlowControl(),
                Math.max(1, CAPACITY / 2), TransportBench.defaultHandBack(), SlotSpacing.PACKED), words);
    }

    /** Any channel: {@code left} is the main thread's end, {@code right} the worker's. */
    ChannelContestant(String key, ChannelPair pair) {
        this(key, pair, 1);
    }

    ChannelContestant(String key, ChannelPair pair, int words) {
        super(key, words);
        main = pair.left();
        worker = pair.right();
    }

    @Override
    void close() {
        main.close();
        worker.close();
    }

    /** Remembers the last value it was handed, and checks the sequence and every other word. */
    static final class Receiver implements FrameHandler {
        final int words;
        long last;
        boolean stopped;

        Receiver() {
            this(1);
        }

        Receiver(int words) {
            this.words = words;
        }

        @Override
        public void onFrame(FrameReader frame) {
            long value = frame.word(0);
            if (value == STOP) {
                stopped = true;
                return;
            }
            expect(value, last + 1);
            if (words == FULL) { // straight-line, as every contestant's 56-byte path is (see Contestant#FULL)
                expectWord(value, 1, frame.word(1));
                expectWord(value, 2, frame.word(2));
                expectWord(value, 3, frame.word(3));
                expectWord(value, 4, frame.word(4));
                expectWord(value, 5, frame.word(5));
                expectWord(value, 6, frame.word(6));
            }
            last = value;
        }
    }

    static void send(Channel channel, long value) {
        send(channel, value, 1);
    }

    static void send(Channel channel, long value, int words) {
        while (channel.writableFrames() == 0) {
            spinWait();
        }
        FrameWriter w = channel.claim();
        w.putWord(0, value);
        if (words == FULL) { // straight-line, as every contestant's 56-byte path is (see Contestant#FULL)
            w.putWord(1, word(value, 1));
            w.putWord(2, word(value, 2));
            w.putWord(3, word(value, 3));
            w.putWord(4, word(value, 4));
            w.putWord(5, word(value, 5));
            w.putWord(6, word(value, 6));
        }
        w.publish(CONTROL);
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        Receiver replies = new Receiver(words);
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            send(main, ++i, words);
            while (main.poll(replies, 1) == 0) {
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        send(main, STOP, words);
        return i;
    }

    @Override
    void echo() {
        Receiver requests = new Receiver(words);
        while (true) {
            while (worker.poll(requests, 1) == 0) {
                spinWait();
            }
            if (requests.stopped) {
                return;
            }
            send(worker, requests.last, words);
        }
    }

    @Override
    long produce(long deadline) {
        long i = 0;
        do {
            send(main, ++i, words);
        } while (!expired(i, deadline));
        send(main, STOP, words);
        return i;
    }

    @Override
    void consume(BatchClock clock) {
        Receiver requests = new Receiver(words);
        clock.start();
        while (!requests.stopped) {
            if (worker.poll(requests, CAPACITY) == 0) {
                spinWait();
            }
            clock.tick(requests.last);
        }
    }
}
