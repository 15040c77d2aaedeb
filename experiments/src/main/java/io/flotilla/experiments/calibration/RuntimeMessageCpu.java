package io.flotilla.experiments.calibration;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.channel.TransportSelector;
import io.flotilla.experiments.calibration.generated.Calibration;
import io.flotilla.experiments.calibration.generated.CalibrationHandler;
import io.flotilla.experiments.calibration.generated.CalibrationStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.skb.MessageCpuProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The CPU cost of one Table 2 message through this project's runtime, both ends on one thread: core 0's generated
 * {@code calibration} stub sends {@code ping}, through its binding and the urpc channel the bind opened, and core
 * 1's loop turn takes it (the {@code CpuDriver}, the binding's dispatch, the generated decoder, the handler). It is
 * the path {@code table2-urpc} sends on {@code pinned}, without the line transfers between two cores: both cores of
 * a {@linkplain PinnedPlatform#hosted() hosted} pinned platform are run by one thread pinned to one CPU, as the JMH
 * {@code RuntimeMessageBenchmark} does. {@code flotilla skb measure --write-topo} writes half of it into the host's
 * twin as {@code measured message-cpu}, each end's share.
 *
 * <p>It lives here rather than in the SKB beside {@link MessageCpuProbe}, which times it: the SKB is below the
 * kernel (the kernel depends on it), and the stubs are the calibration runs' own.
 */
public final class RuntimeMessageCpu {

    private RuntimeMessageCpu() {}

    /**
     * Measures on {@code machine} (the host's model; its first two cores are booted, every bind forced onto urpc as
     * in {@code table2-urpc}), in cycles of its clock.
     *
     * @throws IllegalArgumentException if the machine has fewer than two cores
     * @throws IllegalStateException    if the bind does not complete or a message goes astray
     */
    public static MessageCpuProbe.Cost measure(Machine machine) {
        return measure(machine, Duration.ofMillis(MessageCpuProbe.WARMUP_MILLIS));
    }

    /** As {@link #measure(Machine)}, warming up for {@code warmup} (and {@code WARMUP_MESSAGES}) instead. */
    public static MessageCpuProbe.Cost measure(Machine machine, Duration warmup) {
        if (machine.coreCount() < 2) {
            throw new IllegalArgumentException(machine.name() + " has " + machine.coreCount()
                    + " core: a message between two cores needs two");
        }
        // A hosted platform's core is run by the thread that first ran it, so the boot, the bind and the timing all
        // happen on the probe's one thread.
        return MessageCpuProbe.onCoreZero(pinned -> {
            PinnedPlatform platform = new PinnedPlatform(TransportRegistry.discover(), true, false, 1).hosted();
            Client client = new Client();
            Server server = new Server();
            Delivered delivered = new Delivered(server);
            try (Multikernel kernel = Multikernel.builder(machine, platform)
                    .cores(2)
                    .selector(TransportSelector.forced(TransportSelector.URPC))
                    .dispatcher(1, server)
                    .dispatcher(0, client)
                    // A handler's failure is caught by the kernel: the probe must hear of it, or wait for ever.
                    .onFailure(f -> delivered.failure = "core " + f.core() + ": " + f.cause())
                    .out(null)
                    .boot()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (client.stub == null || server.stub == null) {
                    platform.runTurn(0);
                    platform.runTurn(1);
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the probe's bind did not complete in 10 s");
                    }
                }
                MessageCpuProbe.Cost cost = MessageCpuProbe.time(seq -> {
                    server.expected = seq;
                    delivered.turns = 0;
                    client.stub.ping(seq);
                    platform.runCore(1, delivered);
                    if (delivered.failure != null) {
                        throw new IllegalStateException("message " + seq + " of the probe: " + delivered.failure);
                    }
                }, machine.clockGhz(), pinned, warmup);
                if (delivered.failure != null) {
                    throw new IllegalStateException(delivered.failure);
                }
                return cost;
            }
        });
    }

    /**
     * Stops core 1's turns once the expected ping is in, or on a failure, or when a ping has not come in
     * {@link #MAX_TURNS} turns (lost): counting turns costs nothing, a clock read per turn would be timed with
     * the message.
     */
    private static final class Delivered implements BooleanSupplier {
        static final int MAX_TURNS = 1_000_000;
        private final Server server;
        int turns;
        volatile String failure;

        Delivered(Server server) {
            this.server = server;
        }

        @Override
        public boolean getAsBoolean() {
            if (server.last == server.expected) {
                return true;
            }
            if (++turns > MAX_TURNS && failure == null) {
                failure = "ping " + server.expected + " not taken in " + MAX_TURNS + " turns of its core";
            }
            return failure != null;
        }
    }

    /** Core 0: binds, then only sends. */
    private static final class Client extends Dispatcher implements CalibrationHandler {
        CalibrationStub stub;

        @Override
        protected void onStart() {
            bind(EchoServer.SERVICE, (binding, error) -> {
                if (error != null) {
                    throw new IllegalStateException("the probe's bind failed: " + error);
                }
                stub = Calibration.bind(binding, this);
            });
        }

        @Override
        public void ping(long seq) {
            throw new IllegalStateException("the probe's client got a ping");
        }

        @Override
        public void echo(long seq) {
            throw new IllegalStateException("the probe's client got an echo");
        }

        @Override
        public void nullCall(long seq, Calibration.NullCallResponder responder) {
            throw new IllegalStateException("the probe's client got a null call");
        }
    }

    /** Core 1: takes each ping, in order. */
    private static final class Server extends Dispatcher implements CalibrationHandler {
        CalibrationStub stub;
        long expected;
        long last;

        @Override
        protected void onStart() {
            export(EchoServer.SERVICE, binding -> {
                stub = Calibration.bind(binding, this);
                return true;
            });
        }

        @Override
        public void ping(long seq) {
            if (seq != last + 1) {
                throw new IllegalStateException("the probe's ping " + seq + " came after " + last);
            }
            last = seq;
        }

        @Override
        public void echo(long seq) {
            throw new IllegalStateException("the probe's server got an echo");
        }

        @Override
        public void nullCall(long seq, Calibration.NullCallResponder responder) {
            throw new IllegalStateException("the probe's server got a null call");
        }
    }
}
