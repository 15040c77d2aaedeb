package io.flotilla.experiments.transport;

import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Agrona's {@link OneToOneRingBuffer}: a message of 8 or 56 bytes written in place with tryClaim/commit (zero-copy,
 * as urpc). Each record takes 8 bytes of header plus the message: 16 bytes (32 messages in 512 bytes, four to a
 * cache line) or 64 (one line each, as urpc's frames).
 */
final class AgronaContestant extends Contestant {

    private static final int TYPE = 1;
    private final RingBuffer requests;
    private final RingBuffer replies;

    AgronaContestant() {
        this(1);
    }

    /** With messages of {@code words} words (1 or {@link #FULL}). */
    AgronaContestant(int words) {
        super("agrona", words);
        requests = ring(words);
        replies = ring(words);
    }

    private static RingBuffer ring(int words) {
        int bytes = CAPACITY * (8 + words * Long.BYTES) + RingBufferDescriptor.TRAILER_LENGTH;
        return new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(bytes)));
    }

    static final class Receiver implements MessageHandler {
        final int words;
        long last;
        boolean stopped;

        Receiver(int words) {
            this.words = words;
        }

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            long value = buffer.getLong(index);
            if (value == STOP) {
                stopped = true;
                return;
            }
            expect(value, last + 1);
            if (words == FULL) { // straight-line, as every contestant's 56-byte path is (see Contestant#FULL)
                expectWord(value, 1, buffer.getLong(index + Long.BYTES));
                expectWord(value, 2, buffer.getLong(index + 2 * Long.BYTES));
                expectWord(value, 3, buffer.getLong(index + 3 * Long.BYTES));
                expectWord(value, 4, buffer.getLong(index + 4 * Long.BYTES));
                expectWord(value, 5, buffer.getLong(index + 5 * Long.BYTES));
                expectWord(value, 6, buffer.getLong(index + 6 * Long.BYTES));
            }
            last = value;
        }
    }

    private void send(RingBuffer ring, long value) {
        int index;
        while ((index = ring.tryClaim(TYPE, words * Long.BYTES)) < 0) {
            spinWait();
        }
        MutableDirectBuffer buffer = ring.buffer();
        buffer.putLong(index, value);
        if (words == FULL) { // straight-line, as every contestant's 56-byte path is (see Contestant#FULL)
            buffer.putLong(index + Long.BYTES, word(value, 1));
            buffer.putLong(index + 2 * Long.BYTES, word(value, 2));
            buffer.putLong(index + 3 * Long.BYTES, word(value, 3));
            buffer.putLong(index + 4 * Long.BYTES, word(value, 4));
            buffer.putLong(index + 5 * Long.BYTES, word(value, 5));
            buffer.putLong(index + 6 * Long.BYTES, word(value, 6));
        }
        ring.commit(index);
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        Receiver receiver = new Receiver(words);
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            send(requests, ++i);
            while (replies.read(receiver, 1) == 0) {
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        send(requests, STOP);
        return i;
    }

    @Override
    void echo() {
        Receiver receiver = new Receiver(words);
        while (true) {
            while (requests.read(receiver, 1) == 0) {
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
        Receiver receiver = new Receiver(words);
        clock.start();
        while (!receiver.stopped) {
            if (requests.read(receiver, CAPACITY) == 0) {
                spinWait();
            }
            clock.tick(receiver.last);
        }
    }
}
