package io.flotilla.transport.lrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.ChannelContract;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** lrpc: both ends on one thread, as on one core's event loop. */
class LrpcChannelTest {

    @Test
    void pingPongsAMillionRoundTripsOnOneThread() {
        ChannelPair pair = LrpcChannel.open(32);
        Channel client = pair.left();
        Channel server = pair.right();
        ChannelContract.Sequence requests = new ChannelContract.Sequence();
        FrameHandler echo = frame -> {
            requests.onFrame(frame);
            FrameWriter w = server.claim(); // replying from inside the handler, as a server dispatcher does
            w.putWord(0, frame.word(0));
            w.putWord(6, frame.word(6));
            w.publish(frame.control());
        };
        ChannelContract.Sequence replies = new ChannelContract.Sequence();
        for (long n = 1; n <= 1_000_000; n++) {
            ChannelContract.send(client, n);
            assertThat(server.poll(echo, 8)).isEqualTo(1);
            assertThat(client.poll(replies, 8)).isEqualTo(1);
        }
        assertThat(replies.received).isEqualTo(1_000_000);
    }

    @Test
    void streamsAMillionFramesOnOneThread() {
        ChannelPair pair = LrpcChannel.open(32);
        ChannelContract.Sequence sequence = new ChannelContract.Sequence();
        long sent = 0;
        while (sent < 1_000_000) {
            while (pair.left().writableFrames() > 0 && sent < 1_000_000) {
                ChannelContract.send(pair.left(), ++sent);
            }
            pair.right().poll(sequence, Integer.MAX_VALUE);
        }
        assertThat(sequence.received).isEqualTo(1_000_000);
    }

    @Test
    void appliesBackPressure() {
        ChannelContract.backPressure(LrpcChannel.open(2));
        ChannelContract.backPressure(LrpcChannel.open(32));
    }

    @Test
    void wrapsAround() {
        ChannelContract.wrapAround(LrpcChannel.open(2));
        ChannelContract.wrapAround(LrpcChannel.open(16));
    }

    @Test
    void leavesUnwrittenWordsZero() {
        ChannelContract.unwrittenWordsReadZero(LrpcChannel.open(4));
    }

    @Test
    void closes() {
        ChannelContract.close(LrpcChannel.open(4), true);
    }

    @Test
    void refusesMisuse() {
        ChannelContract.misuse(LrpcChannel.open(4));
    }

    @Test
    void detectsUseFromASecondThread() throws Exception {
        assertThat(LrpcChannel.CHECK_THREAD).as("tests run with -ea").isTrue();
        ChannelPair pair = LrpcChannel.open(4);
        ChannelContract.send(pair.left(), 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                pair.right().poll(frame -> {}, 1);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "intruder");
        other.start();
        other.join();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("intruder");
        assertThatThrownBy(() -> LrpcChannel.open(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passesAttachedObjectsAndForgetsThemOnceConsumed() {
        ChannelPair pair = LrpcChannel.open(2);
        Channel tx = pair.left();
        Channel rx = pair.right();
        var seen = new ArrayList<Object>();
        FrameHandler record = frame -> seen.add(frame.attachment());
        // Four laps round a two-slot ring: objects and plain frames alternate through the same slots.
        for (int lap = 0; lap < 4; lap++) {
            Object message = "message " + lap;
            FrameWriter w = tx.claim();
            assertThat(w.canAttach()).isTrue();
            w.attach(message);
            w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0));
            ChannelContract.send(tx, lap); // no attachment: must not show the object an earlier lap left
            assertThat(rx.poll(record, 8)).isEqualTo(2);
            assertThat(seen).containsExactly(message, null);
            seen.clear();
        }
        assertThatThrownBy(() -> tx.claim().attach(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void consumedObjectsAreNotKeptAliveByTheRing() throws Exception {
        ChannelPair pair = LrpcChannel.open(4);
        WeakReference<Object> ref = sendAndConsumeOne(pair);
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("the ring still refers to a consumed message object").isNull();
    }

    private static WeakReference<Object> sendAndConsumeOne(ChannelPair pair) {
        Object message = new Object();
        FrameWriter w = pair.left().claim();
        w.attach(message);
        w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0));
        var got = new ArrayList<Object>();
        assertThat(pair.right().poll(frame -> got.add(frame.attachment()), 1)).isEqualTo(1);
        assertThat(got).containsExactly(message);
        return new WeakReference<>(message);
    }

    @Test
    void otherWritersRefuseAttachments() {
        FrameWriter plain = new FrameWriter() {
            @Override
            public void putWord(int index, long value) {}

            @Override
            public void publish(long control) {}
        };
        assertThat(plain.canAttach()).isFalse();
        assertThatThrownBy(() -> plain.attach("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
