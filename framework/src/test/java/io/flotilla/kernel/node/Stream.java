package io.flotilla.kernel.node;

import io.flotilla.binding.Binding;
import io.flotilla.binding.Continuation;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test dispatchers for swaps between nodes: a client streams numbered pings with a window of them in flight, a
 * server echoes each as a pong; both check that every number arrives exactly once and in order. An rpc (seven
 * words, answered with their sum) goes out just before each swap, so its request travels on the old channel and
 * its reply on the new one. Either side may swap the binding at given points of the stream.
 */
final class Stream {

    static final int PING = ControlWord.FIRST_USER_MESSAGE;
    static final int PONG = ControlWord.FIRST_USER_MESSAGE + 1;
    static final int RPC = ControlWord.FIRST_USER_MESSAGE + 2;
    static final int RPC_REPLY = ControlWord.FIRST_USER_MESSAGE + 3;
    static final String SERVICE = "stream";

    private Stream() {}

    static void send(Binding binding, int message, long w0, long w1) {
        FrameWriter w = binding.claim();
        w.putWord(0, w0);
        w.putWord(1, w1);
        w.publish(ControlWord.of(message, 0, true, 0));
        binding.endMessage(Continuation.NONE);
    }

    /** Swaps asked at evenly spaced points of a stream of {@code total}: when {@code count} passes each. */
    static final class Swapper {
        private final Dispatcher owner;
        private final String[] plan;
        private final int total;
        final List<String> done = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        int asked;
        boolean swapping;

        Swapper(Dispatcher owner, String[] plan, int total) {
            this.owner = owner;
            this.plan = plan;
            this.total = total;
        }

        /** @return whether it asked for a swap now */
        boolean maybe(Binding binding, int count, Runnable before, Runnable after) {
            if (swapping || asked == plan.length || count < (long) (asked + 1) * total / (plan.length + 1)) {
                return false;
            }
            before.run();
            String to = plan[asked++];
            swapping = true;
            owner.swap(binding, to, () -> {
                swapping = false;
                done.add(to);
                after.run();
            }, error -> {
                swapping = false;
                errors.add(to + ": " + error.getMessage());
                after.run();
            });
            return true;
        }

        boolean finished() {
            return !swapping && asked == plan.length;
        }
    }

    static final class Client extends Dispatcher {
        final int total;
        final int window;
        final Swapper swapper;
        int sent;
        int received;
        int rpcsSent;
        int rpcsAnswered;
        volatile String failure;
        volatile boolean finished;
        private Binding binding;

        Client(int total, int window, String... swaps) {
            this.total = total;
            this.window = window;
            this.swapper = new Swapper(this, swaps, total);
        }

        @Override
        protected void onStart() {
            bind(SERVICE, (b, error) -> {
                if (error != null) {
                    fail("bind: " + error.getMessage());
                    return;
                }
                binding = b;
                b.setReceiver(this::onFrame);
                pump();
            });
        }

        private void onFrame(FrameReader frame) {
            if (failure != null) {
                return;
            }
            int message = ControlWord.message(frame.control());
            if (message == PONG) {
                long n = frame.word(0);
                if (n != received) {
                    fail("pong " + n + " where pong " + received + " was due");
                    return;
                }
                received++;
                swapper.maybe(binding, received, this::rpc, this::maybeFinish);
                pump();
            } else if (message == RPC_REPLY) {
                long token = frame.word(0);
                if (token != rpcsAnswered || frame.word(1) != expectedSum(token)) {
                    fail("rpc reply " + token + " = " + frame.word(1) + " where reply " + rpcsAnswered + " = "
                            + expectedSum(rpcsAnswered) + " was due");
                    return;
                }
                rpcsAnswered++;
            } else {
                fail("message " + message);
                return;
            }
            maybeFinish();
        }

        private void rpc() {
            send(binding, RPC, rpcsSent, rpcsSent * 1_000_003L);
            rpcsSent++;
        }

        static long expectedSum(long token) {
            return token + token * 1_000_003L;
        }

        private void pump() {
            while (sent < total && sent - received < window) {
                send(binding, PING, sent++, 0);
            }
        }

        private void maybeFinish() {
            if (!finished && received == total && rpcsAnswered == rpcsSent && swapper.finished()) {
                finished = true;
                stopKernel();
            }
        }

        private void fail(String why) {
            failure = why;
            stopKernel();
        }
    }

    static final class Server extends Dispatcher {
        final Swapper swapper;
        volatile int served;
        volatile int rpcs;
        volatile String failure;
        private Binding binding;

        Server(int total, String... swaps) {
            this.swapper = new Swapper(this, swaps, total);
        }

        @Override
        protected void onStart() {
            export(SERVICE, b -> {
                binding = b;
                b.setReceiver(this::onFrame);
                return true;
            });
        }

        private void onFrame(FrameReader frame) {
            if (failure != null) {
                return;
            }
            int message = ControlWord.message(frame.control());
            if (message == PING) {
                long n = frame.word(0);
                if (n != served) {
                    failure = "ping " + n + " where ping " + served + " was due";
                    return;
                }
                served++;
                send(binding, PONG, n, 0);
                swapper.maybe(binding, served, () -> { }, () -> { });
            } else if (message == RPC) {
                rpcs++;
                send(binding, RPC_REPLY, frame.word(0), frame.word(0) + frame.word(1));
            } else {
                failure = "message " + message;
            }
        }
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
