package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The record codec: frames survive any batching and any TCP segmentation; no byte sequence escapes as a throw. */
class BatchCodecPropertiesTest {

    private static final int MAX_BATCH = 16;

    @Property(tries = 100)
    void framesRoundTripThroughBatchesAndArbitrarySegments(
            @ForAll("frames") List<long[]> frames,
            @ForAll @IntRange(min = 1, max = MAX_BATCH) int batch,
            @ForAll @IntRange(min = 1, max = 700) int segment) {
        FrameRing ring = new FrameRing(64);
        ByteBuf stream = Unpooled.buffer();
        long position = 0;
        int i = 0;
        while (i < frames.size()) {
            int n = Math.min(batch, frames.size() - i);
            for (int k = 0; k < n; k++) {
                System.arraycopy(frames.get(i + k), 0, ring.words, ring.base(position + k), Frame.WORDS);
            }
            ByteBuf record = BatchCodec.data(ByteBufAllocator.DEFAULT, 42, ring, position, n);
            stream.writeBytes(record);
            record.release();
            position += n;
            i += n;
        }

        Collector records = new Collector();
        EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(new PeerLog("test"), MAX_BATCH), records);
        while (stream.isReadable()) {
            ch.writeInbound(stream.readRetainedSlice(Math.min(segment, stream.readableBytes())));
        }
        stream.release();
        ch.checkException();
        assertThat(ch.isOpen()).isTrue();

        List<long[]> decoded = new ArrayList<>();
        long expectedSeq = 1;
        for (ByteBuf r : records.records) {
            assertThat((int) r.readUnsignedByte()).isEqualTo(Wire.DATA);
            assertThat(r.readLong()).isEqualTo(42);
            assertThat(r.readLong()).isEqualTo(expectedSeq);
            while (r.isReadable()) {
                long[] f = new long[Frame.WORDS];
                BatchCodec.readFrame(r, f, 0);
                decoded.add(f);
                expectedSeq++;
            }
            r.release();
        }
        assertThat(decoded).containsExactlyElementsOf(frames);
        ch.finishAndReleaseAll();
    }

    @Property(tries = 300)
    void garbageNeverThrowsOutOfTheDecoder(@ForAll @Size(max = 2000) byte[] garbage,
            @ForAll @IntRange(min = 1, max = 300) int segment) {
        Collector records = new Collector();
        EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(new PeerLog("test"), MAX_BATCH), records);
        feed(ch, garbage, segment);
        ch.checkException();
        for (ByteBuf r : records.records) {
            // whatever got through is a whole record of a known type within the limits
            assertThat(r.readableBytes()).isBetween(1, Wire.dataLength(MAX_BATCH));
            r.release();
        }
        ch.finishAndReleaseAll();
    }

    @Property(tries = 200)
    void garbageNeverThrowsOutOfTheServerHandshake(@ForAll @Size(max = 1000) byte[] garbage,
            @ForAll @IntRange(min = 1, max = 300) int segment) {
        NetServer server = new NetServer(null, Traffic.config().build(), ch -> {
            throw new AssertionError("garbage opened a session");
        });
        EmbeddedChannel ch = new EmbeddedChannel(new RecordDecoder(server.log(), MAX_BATCH),
                new ServerHandshake(server));
        feed(ch, garbage, segment);
        ch.checkException();
        ch.finishAndReleaseAll();
    }

    /** After the handshake: well-framed records with random contents, then raw garbage, into a live session. */
    @Property(tries = 200)
    void randomRecordsNeverThrowOutOfASession(@ForAll("records") List<byte[]> input,
            @ForAll @Size(max = 300) byte[] tail, @ForAll @IntRange(min = 1, max = 300) int segment) {
        EmbeddedChannel ch = new EmbeddedChannel();
        PeerLog log = new PeerLog("test");
        NetConfig config = Traffic.config().ringFrames(16).maxBatchFrames(MAX_BATCH).build();
        Session session = new ServerSession(1, new NetChannel(16, 16), ch.eventLoop(), config, log, MAX_BATCH);
        Link link = new Link(session, log);
        ch.pipeline().addLast(new RecordDecoder(log, MAX_BATCH), link);
        session.attach(link);
        for (byte[] r : input) {
            feed(ch, r, segment);
        }
        feed(ch, tail, segment);
        ch.runPendingTasks();
        ch.checkException();
        ch.finishAndReleaseAll();
        session.end("test over");
    }

    @Provide
    Arbitrary<List<byte[]>> records() {
        Arbitrary<Integer> types = Arbitraries.of(Wire.DATA, Wire.DATA, Wire.DATA, Wire.ACK, Wire.BYE, Wire.HELLO,
                Wire.PROOF, 0, 200);
        Arbitrary<Long> smallLongs = Arbitraries.longs().between(-2, 40);
        Arbitrary<Integer> frameCounts = Arbitraries.integers().between(1, MAX_BATCH);
        Arbitrary<byte[]> record = Combinators.combine(types, smallLongs, smallLongs, frameCounts,
                Arbitraries.longs()).as((type, ack, seq, frames, fill) -> {
                    ByteBuf b = Unpooled.buffer();
                    switch (type) {
                        case Wire.DATA -> {
                            b.writeInt(Wire.dataLength(frames)).writeByte(type).writeLong(ack).writeLong(seq);
                            for (int f = 0; f < frames; f++) {
                                for (int w = 0; w < Frame.WORDS; w++) {
                                    b.writeLong(fill * (f + 1) + w);
                                }
                            }
                        }
                        case Wire.ACK -> b.writeInt(Wire.ACK_LENGTH).writeByte(type).writeLong(ack);
                        default -> b.writeInt(3).writeByte(type).writeShort((int) (long) seq);
                    }
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    return bytes;
                });
        return record.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<long[]>> frames() {
        Arbitrary<long[]> frame = Combinators.combine(Arbitraries.longs().array(long[].class).ofSize(7),
                Arbitraries.integers().between(1, ControlWord.MAX_MESSAGE), Arbitraries.integers())
                .as((payload, message, token) -> {
                    long[] f = new long[Frame.WORDS];
                    System.arraycopy(payload, 0, f, 0, 7);
                    f[Frame.PAYLOAD_WORDS] = ControlWord.of(message, 0, true, token);
                    return f;
                });
        return frame.list().ofMinSize(1).ofMaxSize(60);
    }

    private static void feed(EmbeddedChannel ch, byte[] bytes, int segment) {
        for (int i = 0; i < bytes.length && ch.isOpen(); i += segment) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(segment, bytes.length - i)));
        }
    }

    /** Keeps what the decoder emits. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        final List<ByteBuf> records = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            records.add((ByteBuf) msg);
        }
    }
}
