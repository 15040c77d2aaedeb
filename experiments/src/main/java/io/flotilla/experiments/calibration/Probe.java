package io.flotilla.experiments.calibration;

import io.flotilla.experiments.calibration.generated.Calibration;
import io.flotilla.experiments.calibration.generated.CalibrationHandler;
import io.flotilla.experiments.calibration.generated.CalibrationStub;
import io.flotilla.kernel.Dispatcher;

/**
 * The client side of the calibration runs: binds to the {@link EchoServer} and either times round trips one at a
 * time (null calls, or a ping answered by an echo) after a few warm-up rounds, or streams pings back to back for
 * the server to time. Stops the kernel when done.
 */
final class Probe extends Dispatcher implements CalibrationHandler {

    enum Mode { NULL_CALL, PING_ECHO, STREAM }

    private final Mode mode;
    private final int warmup;
    private final long[] samples;
    private final int messages;
    private CalibrationStub stub;
    private int round;
    private long startedAt;
    private String error;

    /**
     * @param rounds round trips to time (latency modes)
     * @param messages pings to stream (stream mode)
     */
    Probe(Mode mode, int warmup, int rounds, int messages) {
        this.mode = mode;
        this.warmup = warmup;
        this.samples = new long[mode == Mode.STREAM ? 0 : rounds];
        this.messages = messages;
    }

    @Override
    protected void onStart() {
        bind(EchoServer.SERVICE, (binding, failure) -> {
            if (failure != null) {
                error = "bind failed: " + failure.getMessage();
                stopKernel();
                return;
            }
            binding.setErrorHandler(e -> {
                error = e.getMessage();
                stopKernel();
            });
            stub = Calibration.bind(binding, this);
            if (mode == Mode.STREAM) {
                // Back to back: the binding queues what the channel has no room for and sends it as credits return.
                for (int i = 0; i < messages; i++) {
                    stub.ping(i);
                }
            } else {
                next();
            }
        });
    }

    private void next() {
        if (round == warmup + samples.length) {
            stopKernel();
            return;
        }
        startedAt = now();
        long seq = round;
        if (mode == Mode.NULL_CALL) {
            stub.nullCall(seq, back -> answered());
        } else {
            stub.ping(seq);
        }
    }

    @Override
    public void echo(long seq) {
        answered();
    }

    private void answered() {
        long rtt = now() - startedAt;
        if (round >= warmup) {
            samples[round - warmup] = rtt;
        }
        round++;
        next();
    }

    /** Round-trip times in cycles, after the warm-up. */
    long[] samples() {
        return samples;
    }

    /** Round trips completed, warm-up included. */
    int rounds() {
        return round;
    }

    /** What went wrong, or null. */
    String error() {
        return error;
    }
}
