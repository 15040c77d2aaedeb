package io.flotilla.experiments.calibration;

import io.flotilla.binding.Binding;
import io.flotilla.experiments.calibration.generated.Calibration;
import io.flotilla.experiments.calibration.generated.CalibrationHandler;
import io.flotilla.experiments.calibration.generated.CalibrationStub;
import io.flotilla.kernel.Dispatcher;

/**
 * The server side of the calibration runs: exports {@code calibration}, answers null calls and, in a latency run,
 * echoes every ping; in a throughput run it only notes when each ping arrived. No modelled work anywhere: the runs
 * measure the messaging path alone, as Tables 1 and 2 do.
 */
final class EchoServer extends Dispatcher implements CalibrationHandler {

    static final String SERVICE = "calibration";

    private final boolean echo;
    private final long[] arrivals;
    private int received;
    private CalibrationStub stub;

    /** @param expected pings to time in a throughput run (0 in a latency run, which echoes instead) */
    EchoServer(boolean echo, int expected) {
        this.echo = echo;
        this.arrivals = new long[expected];
    }

    @Override
    protected void onStart() {
        export(SERVICE, (Binding binding) -> {
            stub = Calibration.bind(binding, this);
            return true;
        });
    }

    @Override
    public void ping(long seq) {
        if (echo) {
            stub.echo(seq);
            return;
        }
        arrivals[received++] = now();
        if (received == arrivals.length) {
            stopKernel();
        }
    }

    @Override
    public void nullCall(long seq, Calibration.NullCallResponder responder) {
        responder.send(seq);
    }

    /** When each ping of a throughput run arrived, in cycles. */
    long[] arrivals() {
        return arrivals;
    }

    int received() {
        return received;
    }
}
