package io.flotilla.transport.net;

import io.flotilla.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes and reads the data-phase records of {@link Wire}: a DATA record carries a run of consecutive frames of a
 * {@link FrameRing} and a piggy-backed acknowledgement; ACK and BYE are the standalone forms.
 */
final class BatchCodec {

    private BatchCodec() {}

    /**
     * A DATA record for the {@code frames} frames at positions {@code [from, from + frames)} of {@code ring}, with
     * sequence numbers {@code from + 1 ...}, acknowledging {@code ack}. The caller owns those slots (they are
     * published and not yet acknowledged), so reading them races with nothing.
     */
    static ByteBuf data(ByteBufAllocator alloc, long ack, FrameRing ring, long from, int frames) {
        int length = Wire.dataLength(frames);
        ByteBuf b = alloc.directBuffer(Wire.LENGTH_BYTES + length);
        b.writeInt(length).writeByte(Wire.DATA).writeLong(ack).writeLong(from + 1);
        long[] words = ring.words;
        for (int f = 0; f < frames; f++) {
            int base = ring.base(from + f);
            for (int w = 0; w < Frame.WORDS; w++) {
                b.writeLong(words[base + w]);
            }
        }
        return b;
    }

    static ByteBuf ack(ByteBufAllocator alloc, long ack) {
        return alloc.directBuffer(Wire.LENGTH_BYTES + Wire.ACK_LENGTH).writeInt(Wire.ACK_LENGTH).writeByte(Wire.ACK)
                .writeLong(ack);
    }

    static ByteBuf bye(ByteBufAllocator alloc) {
        return alloc.directBuffer(Wire.LENGTH_BYTES + Wire.BYE_LENGTH).writeInt(Wire.BYE_LENGTH).writeByte(Wire.BYE);
    }

    /** Copies the next frame of a DATA body into the slot at word index {@code base} of {@code words}. */
    static void readFrame(ByteBuf body, long[] words, int base) {
        for (int w = 0; w < Frame.WORDS; w++) {
            words[base + w] = body.readLong();
        }
    }

    /** The control word of the next frame in a DATA body, without consuming anything. */
    static long peekControl(ByteBuf body) {
        return body.getLong(body.readerIndex() + Frame.CONTROL_OFFSET);
    }
}
