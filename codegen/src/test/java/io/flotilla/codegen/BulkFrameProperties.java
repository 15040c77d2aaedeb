package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.loopback.LoopbackChannel;
import io.flotilla.transport.lrpc.LrpcChannel;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.SlotSpacing;
import io.flotilla.transport.urpc.UrpcChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated stubs and decoders move whole frames with {@code FrameWriter.publish(control, words, offset, count)} and
 * {@code FrameReader.read(dst, offset)}. Every message of the {@code everything} interface (every field type and
 * shape) must arrive unchanged both on a transport that leaves those calls to the interfaces' word-by-word defaults
 * and on each shipped transport, which copies straight into and out of its own buffer. Small rings, so that the
 * binding's queue (and its bulk flush) carries part of the traffic.
 */
class BulkFrameProperties {

    private static final class Compiled {
        static final Harness EVERYTHING = new Harness(GeneratedSources.shared(), TestInterfaces.everything());
    }

    @Provide
    Arbitrary<String> transports() {
        return Arbitraries.of("word-by-word", "loopback", "lrpc", "urpc-epoch", "urpc-hand-back", "urpc-used-bit");
    }

    private static ChannelPair open(String transport, int slots) {
        return switch (transport) {
            case "word-by-word" -> WordByWordChannel.wrap(LoopbackChannel.open(slots));
            case "loopback" -> LoopbackChannel.open(slots);
            case "lrpc" -> LrpcChannel.open(slots);
            case "urpc-epoch" -> UrpcChannel.openPair(slots, FlowControl.EPOCH);
            case "urpc-hand-back" -> UrpcChannel.openPair(slots, FlowControl.EPOCH, Math.max(1, slots / 2), true,
                    SlotSpacing.SPREAD);
            case "urpc-used-bit" -> UrpcChannel.openPair(slots, FlowControl.USED_BIT);
            default -> throw new IllegalArgumentException(transport);
        };
    }

    @Property(tries = 60)
    void everyMessageRoundTripsThroughTheBulkCalls(@ForAll("transports") String transport, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 3) int slotsLog) {
        Harness h = Compiled.EVERYTHING;
        Random r = new Random(seed);
        ChannelPair channels = open(transport, 1 << slotsLog);
        Harness.End[] ends = h.pair(channels);
        var sent = new ArrayList<Object[]>();
        var names = new ArrayList<String>();
        List<Message> messages = h.iface.messages().stream().filter(m -> m.kind() == Message.Kind.MESSAGE).toList();
        for (Message m : messages) {
            Object[] args = h.randomArgs(m.arguments(), r);
            h.send(ends[0], m, args);
            sent.add(args);
            names.add(h.javaName(m));
        }
        Harness.pump(ends);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Harness.Call c = ends[1].calls.get(i);
            assertThat(c.method()).isEqualTo(names.get(i));
            assertThat(Harness.sameArgs(c.args(), sent.get(i)))
                    .as("%s on %s sent %s received %s", names.get(i), transport, Arrays.deepToString(sent.get(i)), c)
                    .isTrue();
        }
        if (channels.left() instanceof WordByWordChannel w) {
            // the defaults really went word by word: seven words a frame each way
            assertThat(w.wordsWritten).isPositive();
            assertThat(((WordByWordChannel) channels.right()).wordsRead).isEqualTo(7L * w.framesPublished);
        }
    }

    /**
     * A channel whose writer and reader implement only the word-by-word calls, as a third-party transport written
     * before the bulk calls would: the interfaces' default bulk methods serve it. It counts what passes.
     */
    static final class WordByWordChannel implements Channel, FrameWriter, FrameReader, FrameHandler {
        private final Channel inner;
        private FrameWriter writer;
        private FrameReader reader;
        private FrameHandler handler;
        long wordsWritten;
        long framesPublished;
        long wordsRead;

        private WordByWordChannel(Channel inner) {
            this.inner = inner;
        }

        static ChannelPair wrap(ChannelPair p) {
            return new ChannelPair(new WordByWordChannel(p.left()), new WordByWordChannel(p.right()));
        }

        @Override
        public int writableFrames() {
            return inner.writableFrames();
        }

        @Override
        public FrameWriter claim() {
            writer = inner.claim();
            return this;
        }

        @Override
        public void putWord(int index, long value) {
            claimed().putWord(index, value);
            wordsWritten++;
        }

        @Override
        public void publish(long control) {
            claimed().publish(control);
            framesPublished++;
            writer = null;
        }

        private FrameWriter claimed() {
            if (writer == null) {
                throw new IllegalStateException("no frame claimed");
            }
            return writer;
        }

        @Override
        public int poll(FrameHandler h, int limit) {
            handler = h;
            return inner.poll(this, limit);
        }

        @Override
        public void onFrame(FrameReader frame) {
            reader = frame;
            try {
                handler.onFrame(this);
            } finally {
                reader = null;
            }
        }

        @Override
        public long control() {
            return reader.control();
        }

        @Override
        public long word(int index) {
            wordsRead++;
            return reader.word(index);
        }

        @Override
        public int capacity() {
            return inner.capacity();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
