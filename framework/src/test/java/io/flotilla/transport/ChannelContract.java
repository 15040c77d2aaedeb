package io.flotilla.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link Channel} contract as executable checks, shared by the tests of every transport. Frame {@code n} (from 1)
 * carries n in word 0, ~n in word 6, message number 3 + n mod 100 and token n; words 1 to 5 are left unwritten
 * and must read as zero.
 */
public final class ChannelContract {

    /** How long a cross-thread check may go without progress before it fails instead of hanging. */
    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);

    private ChannelContract() {}

    public static long control(long n) {
        return ControlWord.of(ControlWord.FIRST_USER_MESSAGE + (int) (n % 100), 0, true, (int) n);
    }

    /** Sends frame n; the caller has checked for room. */
    public static void send(Channel channel, long n) {
        FrameWriter w = channel.claim();
        w.putWord(0, n);
        w.putWord(6, ~n);
        w.publish(control(n));
    }

    /** Checks that {@code frame} is frame n. */
    public static void check(FrameReader frame, long n) {
        if (frame.word(0) != n || frame.word(6) != ~n || frame.control() != control(n)) {
            throw new AssertionError("expected frame " + n + ", got word0=" + frame.word(0) + " word6=" + frame.word(6)
                    + " " + ControlWord.toString(frame.control()));
        }
        for (int i = 1; i < 6; i++) {
            if (frame.word(i) != 0) {
                throw new AssertionError("frame " + n + ": unwritten word " + i + " = " + frame.word(i));
            }
        }
    }

    /** A receiver that checks frames arrive as 1, 2, 3, ... */
    public static final class Sequence implements FrameHandler {
        public long received;

        @Override
        public void onFrame(FrameReader frame) {
            check(frame, received + 1);
            received++;
        }
    }

    /** Spins politely: the test machine has two cores shared with other builds. */
    static void idle(int spins) {
        if ((spins & 0x3F) == 0x3F) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    /**
     * Fails a loop that has made no progress for {@link #DEADLINE_NANOS}: a hang, not a slow machine. A limit on the
     * whole run failed ping-pongs of 10^6 frames on two CPUs shared with other busy threads, where each hand-off can
     * wait for a scheduler quantum, although every frame arrived.
     */
    static final class Watchdog {
        private final String who;
        private long mark = -1;
        private long since = System.nanoTime();

        Watchdog(String who) {
            this.who = who;
        }

        /** {@code progress}: a count that grows while the loop is alive. Call it now and then, not per frame. */
        void check(long progress) {
            long now = System.nanoTime();
            if (progress != mark) {
                mark = progress;
                since = now;
            } else if (now - since > DEADLINE_NANOS) {
                throw new AssertionError(who + " at " + progress + ": no progress for "
                        + TimeUnit.NANOSECONDS.toSeconds(DEADLINE_NANOS) + " s");
            }
        }
    }

    /** {@code frames} frames from left to right on two threads, checked in order. */
    public static void stream(ChannelPair pair, long frames) throws Exception {
        Channel tx = pair.left();
        Channel rx = pair.right();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                Watchdog watchdog = new Watchdog("producer");
                int spins = 0;
                for (long n = 1; n <= frames; n++) {
                    while (tx.writableFrames() == 0) {
                        idle(++spins);
                        if ((spins & 0xFFFF) == 0) {
                            watchdog.check(n);
                        }
                    }
                    send(tx, n);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "stream-producer");
        producer.setDaemon(true);
        producer.start();
        Sequence sequence = new Sequence();
        Watchdog watchdog = new Watchdog("consumer");
        int spins = 0;
        while (sequence.received < frames && failure.get() == null) {
            if (rx.poll(sequence, 64) == 0) {
                idle(++spins);
                if ((spins & 0xFFFF) == 0) {
                    watchdog.check(sequence.received);
                }
            }
        }
        producer.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NANOS));
        if (failure.get() != null) {
            throw new AssertionError("producer failed", failure.get());
        }
        assertThat(sequence.received).isEqualTo(frames);
        assertThat(rx.poll(sequence, 1)).isZero();
    }

    /**
     * {@code roundTrips} strict ping-pongs: the left end on this thread sends frame n and waits for it to come back
     * from an echo thread on the right end before sending n + 1.
     */
    public static void pingPong(ChannelPair pair, long roundTrips) throws Exception {
        Channel ping = pair.left();
        Channel pong = pair.right();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread echo = new Thread(() -> {
            try {
                Watchdog watchdog = new Watchdog("echo");
                Sequence sequence = new Sequence();
                FrameHandler echoBack = frame -> {
                    sequence.onFrame(frame);
                    FrameWriter w = pong.claim(); // strict ping-pong: there is always room
                    for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                        long word = frame.word(i);
                        if (word != 0) {
                            w.putWord(i, word);
                        }
                    }
                    w.publish(frame.control());
                };
                int spins = 0;
                while (sequence.received < roundTrips) {
                    if (pong.poll(echoBack, 16) == 0) {
                        idle(++spins);
                        if ((spins & 0xFFFF) == 0) {
                            watchdog.check(sequence.received);
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "ping-pong-echo");
        echo.setDaemon(true);
        echo.start();
        Sequence replies = new Sequence();
        Watchdog watchdog = new Watchdog("ping");
        int spins = 0;
        for (long n = 1; n <= roundTrips && failure.get() == null; n++) {
            send(ping, n);
            while (ping.poll(replies, 1) == 0 && failure.get() == null) {
                idle(++spins);
                if ((spins & 0xFFFF) == 0) {
                    watchdog.check(n);
                }
            }
        }
        echo.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NANOS));
        if (failure.get() != null) {
            throw new AssertionError("echo thread failed", failure.get());
        }
        assertThat(replies.received).isEqualTo(roundTrips);
    }

    /** A full ring refuses claims until the receiver consumes; exactly capacity frames fit. */
    public static void backPressure(ChannelPair pair) {
        Channel tx = pair.left();
        Channel rx = pair.right();
        int capacity = tx.capacity();
        assertThat(tx.writableFrames()).isEqualTo(capacity);
        long n = 0;
        while (tx.writableFrames() > 0) {
            send(tx, ++n);
        }
        assertThat(n).isEqualTo(capacity);
        assertThatThrownBy(tx::claim).isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        Sequence sequence = new Sequence();
        assertThat(rx.poll(sequence, 1)).isEqualTo(1);
        assertThat(tx.writableFrames()).isBetween(0, 1);
        assertThat(rx.poll(sequence, Integer.MAX_VALUE)).isEqualTo(capacity - 1);
        assertThat(tx.writableFrames()).isPositive();
        // drained and idle: all credit comes back
        while (tx.writableFrames() > 0) {
            send(tx, ++n);
        }
        assertThat(n).isEqualTo(2L * capacity);
        assertThat(rx.poll(sequence, Integer.MAX_VALUE)).isEqualTo(capacity);
        assertThat(sequence.received).isEqualTo(2L * capacity);
    }

    /**
     * Many laps of the ring on one thread in uneven batches; frames that write all seven words alternate with
     * frames that write two, so a stale word from the last lap would show.
     */
    public static void wrapAround(ChannelPair pair) {
        Channel tx = pair.left();
        Channel rx = pair.right();
        int capacity = tx.capacity();
        long total = 10L * capacity + 3;
        long sent = 0;
        long[] received = {0};
        FrameHandler handler = frame -> {
            long n = ++received[0];
            assertThat(frame.control()).isEqualTo(control(n));
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                long expected = n % 2 == 0 ? n * 31 + i : i == 0 ? n : i == 6 ? ~n : 0;
                assertThat(frame.word(i)).as("frame %d word %d", n, i).isEqualTo(expected);
            }
        };
        int batch = 1;
        while (received[0] < total) {
            for (int k = 0; k < batch && sent < total && tx.writableFrames() > 0; k++) {
                long n = ++sent;
                FrameWriter w = tx.claim();
                if (n % 2 == 0) {
                    for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                        w.putWord(i, n * 31 + i);
                    }
                } else {
                    w.putWord(0, n);
                    w.putWord(6, ~n);
                }
                w.publish(control(n));
            }
            rx.poll(handler, batch % 3 == 0 ? 1 : Integer.MAX_VALUE);
            batch = batch % (capacity + 1) + 1;
        }
        assertThat(received[0]).isEqualTo(total);
    }

    /**
     * Closing one end: claims there fail, frames already published stay readable by the peer, close is idempotent.
     * If {@code strict} (urpc, lrpc; the loopback reference channel only tracks its own end), the closed end also
     * reports no room, and the peer reports the channel closed and refuses to send.
     */
    public static void close(ChannelPair pair, boolean strict) {
        Channel a = pair.left();
        Channel b = pair.right();
        send(a, 1);
        send(a, 2);
        a.close();
        a.close();
        assertThat(a.isOpen()).isFalse();
        if (strict) {
            assertThat(a.writableFrames()).isZero();
        }
        assertThatThrownBy(a::claim).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        Sequence sequence = new Sequence();
        assertThat(b.poll(sequence, 10)).isEqualTo(2);
        if (strict) {
            assertThat(b.isOpen()).isFalse();
            assertThat(b.writableFrames()).isZero();
            assertThatThrownBy(b::claim).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        b.close();
        assertThat(b.isOpen()).isFalse();
    }

    /**
     * Frames that each write a different subset of the payload words, through a small ring so slots are reused many
     * times: every word a frame leaves out reads as zero, whatever the slot's previous frames wrote. (urpc zeroes
     * only the words its previous frame in the slot wrote; this is the check of that bookkeeping.)
     */
    public static void unwrittenWordsReadZero(ChannelPair pair) {
        Channel tx = pair.left();
        Channel rx = pair.right();
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        int frames = 20_000;
        int[] masks = new int[frames];
        for (int n = 0; n < frames; n++) {
            masks[n] = random.nextInt(1 << Frame.PAYLOAD_WORDS);
        }
        int[] received = {0};
        FrameHandler checker = frame -> {
            int n = received[0]++;
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                long expected = (masks[n] & (1 << i)) != 0 ? n * 8L + i + 1 : 0;
                if (frame.word(i) != expected) {
                    throw new AssertionError("frame " + n + " (words " + Integer.toBinaryString(masks[n]) + "): word "
                            + i + " = " + frame.word(i) + ", expected " + expected);
                }
            }
        };
        for (int n = 0; n < frames; n++) {
            while (tx.writableFrames() == 0) {
                rx.poll(checker, 1 + (n & 3));
            }
            FrameWriter w = tx.claim();
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                if ((masks[n] & (1 << i)) != 0) {
                    w.putWord(i, n * 8L + i + 1);
                }
            }
            w.publish(control(n + 1));
        }
        while (received[0] < frames) {
            if (rx.poll(checker, 64) == 0) {
                throw new AssertionError("only " + received[0] + " of " + frames + " frames arrived");
            }
        }
    }

    /** Misuse the API refuses: publishing message 0, out-of-range words, claiming twice. */
    public static void misuse(ChannelPair pair) {
        Channel a = pair.left();
        FrameWriter w = a.claim();
        assertThatThrownBy(() -> w.putWord(7, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> w.putWord(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> w.publish(0L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(a::claim).isInstanceOf(IllegalStateException.class);
        w.putWord(0, 1);
        w.putWord(6, ~1L);
        w.publish(control(1));
        Sequence sequence = new Sequence();
        assertThat(pair.right().poll(sequence, 10)).isEqualTo(1);
    }
}
