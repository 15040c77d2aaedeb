package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.binding.Continuation;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Test dispatchers speaking a one-message protocol in raw frames over {@link Binding}, the way a generated stub
 * does: a server that echoes every frame, and a client that sends {@code rounds} pings one after another and
 * records each round trip in cycles. The same classes run on every platform.
 */
public final class PingPong {

    static final int PING = ControlWord.FIRST_USER_MESSAGE;
    static final int PONG = ControlWord.FIRST_USER_MESSAGE + 1;

    private PingPong() {}

    static void send(Binding binding, int message, long word) {
        FrameWriter w = binding.claim();
        w.putWord(0, word);
        w.publish(ControlWord.of(message, 0, true, 0));
        binding.endMessage(Continuation.NONE);
    }

    /** Exports {@code name} and answers every ping with a pong carrying the same word. */
    public static class Server extends Dispatcher {
        private final String service;
        int served;

        public Server(String service) {
            this.service = service;
        }

        /** Pings answered; read after the run. */
        public int served() {
            return served;
        }

        @Override
        protected void onStart() {
            export(service, binding -> {
                binding.setReceiver(frame -> {
                    served++;
                    send(binding, PONG, frame.word(0));
                });
                return true;
            });
        }
    }

    /** Binds to {@code name}, plays {@code rounds} round trips, then stops the kernel if asked to. */
    public static class Client extends Dispatcher {
        private final String service;
        private final int rounds;
        private final boolean stopWhenDone;
        final List<Long> roundTrips = new ArrayList<>();
        BindException error;
        volatile boolean done;
        private long sentAt;

        public Client(String service, int rounds, boolean stopWhenDone) {
            this.service = service;
            this.rounds = rounds;
            this.stopWhenDone = stopWhenDone;
        }

        @Override
        protected void onStart() {
            bind(service, (binding, err) -> {
                if (err != null) {
                    error = err;
                    finish();
                    return;
                }
                binding.setReceiver(frame -> {
                    if (frame.word(0) != roundTrips.size()) {
                        throw new AssertionError("pong " + frame.word(0) + " out of order");
                    }
                    roundTrips.add(now() - sentAt);
                    if (roundTrips.size() == rounds) {
                        finish();
                    } else {
                        ping(binding);
                    }
                });
                ping(binding);
            });
        }

        /** Round trips so far, in cycles; read after the run. */
        public List<Long> roundTrips() {
            return roundTrips;
        }

        /** The bind error, if the bind failed. */
        public BindException error() {
            return error;
        }

        private void ping(Binding binding) {
            sentAt = now();
            send(binding, PING, roundTrips.size());
        }

        private void finish() {
            done = true;
            if (stopWhenDone) {
                stopKernel();
            }
        }
    }
}
