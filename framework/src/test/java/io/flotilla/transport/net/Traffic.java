package io.flotilla.transport.net;

import io.flotilla.channel.Channel;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import java.util.concurrent.locks.LockSupport;

/** Numbered frames for exact sequence checks, and the owner-thread loops the tests run. */
final class Traffic {

    private Traffic() {}

    static final String IFACE = "test.stream";
    static final long FINGERPRINT = 0x5EED_F00D_1234_5678L;
    static final byte[] SECRET = "correct horse battery staple, 32b".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    static NetConfig.Builder config() {
        return NetConfig.builder(SECRET, IFACE, FINGERPRINT);
    }

    static long word(long seq, int i) {
        return seq * 0x9E37_79B9_7F4A_7C15L + i;
    }

    static long control(long seq) {
        return ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, (int) seq);
    }

    /** Publishes frame {@code seq}; the caller checked writableFrames(). */
    static void send(Channel ch, long seq) {
        FrameWriter w = ch.claim();
        w.putWord(0, seq);
        for (int i = 1; i < 7; i++) {
            w.putWord(i, word(seq, i));
        }
        w.publish(control(seq));
    }

    /** Checks that frames arrive numbered 1, 2, 3, ... with intact payloads. */
    static final class Checker implements FrameHandler {
        long next = 1;

        @Override
        public void onFrame(FrameReader f) {
            long seq = f.word(0);
            if (seq != next) {
                throw new AssertionError("expected frame " + next + ", got " + seq);
            }
            for (int i = 1; i < 7; i++) {
                if (f.word(i) != word(seq, i)) {
                    throw new AssertionError("frame " + seq + " word " + i + " corrupt");
                }
            }
            if (f.control() != control(seq)) {
                throw new AssertionError("frame " + seq + " control word corrupt"); // no per-frame allocation
            }
            next++;
        }

        long received() {
            return next - 1;
        }
    }

    /** Echoes every frame back, while there is room to. */
    static final class Echo implements FrameHandler {
        private final Channel ch;

        Echo(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void onFrame(FrameReader f) {
            FrameWriter w = ch.claim();
            for (int i = 0; i < 7; i++) {
                w.putWord(i, f.word(i));
            }
            w.publish(f.control());
        }

        /** One round: echo as many as fit. */
        int pump() {
            return ch.poll(this, ch.writableFrames());
        }
    }

    /**
     * Sends the next {@code n} numbered frames on {@code ch} and checks that they come back, echoed, in order, on
     * the calling thread.
     */
    static void sendAndCheck(Channel ch, long n, Checker checker, long deadlineNanos) {
        long sent = checker.received();
        long last = sent + n;
        Idle idle = new Idle();
        while (checker.received() < last) {
            boolean busy = false;
            int room = ch.writableFrames();
            while (room-- > 0 && sent < last) {
                send(ch, ++sent);
                busy = true;
            }
            if (ch.poll(checker, 4096) > 0) {
                busy = true;
            }
            idle.after(busy);
            if (System.nanoTime() > deadlineNanos) {
                throw new AssertionError("timed out: sent " + sent + ", received " + checker.received() + " of " + last);
            }
        }
    }

    /** Spin a little, then back off: two cores are shared with the event loops. */
    static final class Idle {
        private int idle;

        void after(boolean busy) {
            if (busy) {
                idle = 0;
            } else if (++idle > 64) {
                LockSupport.parkNanos(20_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
