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
 * Agrona's {@link OneToOneRingBuffer}: an 8-byte message written in place with tryClaim/commit (zero-copy, as urpc).
 * Each record takes 16 bytes (8 of header), so 32 messages take 512 bytes.
 */
final class AgronaContestant extends Contestant {

    private static final int TYPE = 1;
    private final RingBuffer requests = ring();
    private final RingBuffer replies = ring();

    AgronaContestant() {
        super("agrona");
    }

    private static RingBuffer ring() {
        int bytes = CAPACITY * 16 + RingBufferDescriptor.TRAILER_LENGTH;
        return new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(bytes)));
    }

    static final class Receiver implements MessageHandler {
        long last;
        boolean stopped;

        @Override
        public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
            long value = buffer.getLong(index);
            if (value == STOP) {
                stopped = true;
                return;
            }
            expect(value, last + 1);
            last = value;
        }
    }

    private static void send(RingBuffer ring, long value) {
        int index;
        while ((index = ring.tryClaim(TYPE, Long.BYTES)) < 0) {
            spinWait();
        }
        ring.buffer().putLong(index, value);
        ring.commit(index);
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        Receiver receiver = new Receiver();
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
        Receiver receiver = new Receiver();
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
        Receiver receiver = new Receiver();
        clock.start();
        while (!receiver.stopped) {
            if (requests.read(receiver, CAPACITY) == 0) {
                spinWait();
            }
            clock.tick(receiver.last);
        }
    }
}
