package io.flotilla.transport.net;

import io.flotilla.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into records ({@link Wire}) and checks each one's length against its type <em>before</em>
 * waiting for its body, so a hostile length never makes this end buffer more than the largest legitimate record.
 * Emits each record as a retained slice that starts at its type byte. A malformed record closes the connection with
 * a logged reason and discards everything after it; nothing is thrown into the pipeline.
 */
final class RecordDecoder extends ByteToMessageDecoder {

    private final PeerLog log;
    /** Largest DATA record this end accepts: the batch limit it announced. */
    private final int maxData;
    private boolean failed;

    RecordDecoder(PeerLog log, int maxBatchFrames) {
        this.log = log;
        this.maxData = Wire.dataLength(maxBatchFrames);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Wire.LENGTH_BYTES) {
            return;
        }
        int start = in.readerIndex();
        int length = in.getInt(start);
        // Checked as soon as the length field is in, before waiting for a type byte: a zero-length record (which
        // has none) closes the connection at once instead of leaving it to the handshake or idle timeout.
        if (length < Wire.TYPE_BYTES || length > maxData) {
            fail(ctx, in, (length < 0 ? "negative record length " : "record length ") + length + " outside 1.."
                    + maxData);
            return;
        }
        if (in.readableBytes() < Wire.LENGTH_BYTES + Wire.TYPE_BYTES) {
            return;
        }
        int type = in.getUnsignedByte(start + Wire.LENGTH_BYTES);
        String bad = checkLength(type, length);
        if (bad != null) {
            fail(ctx, in, bad);
            return;
        }
        if (in.readableBytes() < Wire.LENGTH_BYTES + length) {
            return; // bounded: length was checked above
        }
        in.skipBytes(Wire.LENGTH_BYTES);
        out.add(in.readRetainedSlice(length));
    }

    /** Null when a record of this type may have this length, else why not. */
    private String checkLength(int type, int length) {
        return switch (type) {
            case Wire.HELLO -> within(type, length, Wire.HELLO_MIN, Wire.HELLO_MAX);
            case Wire.CHALLENGE -> exactly(type, length, Wire.CHALLENGE_LENGTH);
            case Wire.PROOF -> exactly(type, length, Wire.PROOF_LENGTH);
            case Wire.WELCOME -> exactly(type, length, Wire.WELCOME_LENGTH);
            case Wire.REFUSE -> exactly(type, length, Wire.REFUSE_LENGTH);
            case Wire.ACK -> exactly(type, length, Wire.ACK_LENGTH);
            case Wire.BYE -> exactly(type, length, Wire.BYE_LENGTH);
            case Wire.DATA -> {
                int frameBytes = length - Wire.DATA_HEADER;
                if (frameBytes < Frame.BYTES || frameBytes % Frame.BYTES != 0) {
                    yield "DATA record of " + length + " bytes does not hold a whole number (>= 1) of 64-byte frames";
                }
                yield null; // the upper bound is maxData, checked before the type
            }
            default -> "unknown record type " + type;
        };
    }

    private static String within(int type, int length, int min, int max) {
        return length >= min && length <= max ? null
                : Wire.typeName(type) + " record of " + length + " bytes outside " + min + ".." + max;
    }

    private static String exactly(int type, int length, int expected) {
        return length == expected ? null
                : Wire.typeName(type) + " record of " + length + " bytes, expected " + expected;
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        log.refuse(ctx.channel(), reason);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (!failed && in.isReadable()) {
            // The connection is already closing; say why the bytes were dropped and which peer sent them.
            int readable = in.readableBytes();
            in.skipBytes(readable);
            log.refuse(ctx.channel(), "truncated record at close (" + readable + " bytes of an unfinished record)");
        }
    }
}
