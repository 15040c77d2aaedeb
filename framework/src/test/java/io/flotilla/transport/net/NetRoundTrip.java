package io.flotilla.transport.net;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Not a test: measures the round trip of a one-frame message over loopback TCP (client publishes, the server's
 * owner echoes, the client polls the echo). Run from the framework module after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes:<deps> io.flotilla.transport.net.NetRoundTrip [rounds]}.
 * Both owners spin with Thread.yield() while waiting (on few cores a pure spin starves the event loops); numbers are only comparable within one run on one machine.
 */
public final class NetRoundTrip {

    private NetRoundTrip() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int ioThreads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean preferNative = args.length <= 2 || Boolean.parseBoolean(args[2]);
        NetConfig config = Traffic.config().build();
        BlockingQueue<NetChannel> accepted = new LinkedBlockingQueue<>();
        try (NetTransport transport = NetTransport.create(ioThreads, preferNative);
                NetServer server = transport.listen(new InetSocketAddress("127.0.0.1", 0), config, accepted::add);
                NetChannel client = transport.connect(server.localAddress(), config)) {
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            AtomicBoolean stop = new AtomicBoolean();
            Thread echo = new Thread(() -> {
                Traffic.Echo e = new Traffic.Echo(serverEnd);
                while (!stop.get()) {
                    if (e.pump() == 0) {
                        Thread.yield(); // 2 shared cores: let the event loops run
                    }
                }
            }, "echo");
            echo.start();
            Traffic.Checker checker = new Traffic.Checker();
            measure(client, checker, rounds / 2); // warm-up
            long[] rtt = measure(client, checker, rounds);
            stop.set(true);
            echo.join();
            Arrays.sort(rtt);
            System.out.printf("net round trip, %s, %d I/O threads, %d rounds: median %.1f us, p99 %.1f us,"
                    + " p99.9 %.1f us%n", transport.isNative() ? "epoll" : "nio", ioThreads, rounds,
                    rtt[rtt.length / 2] / 1e3, rtt[(int) (rtt.length * 0.99)] / 1e3,
                    rtt[(int) (rtt.length * 0.999)] / 1e3);
        }
    }

    private static long[] measure(NetChannel client, Traffic.Checker checker, int rounds) {
        long[] rtt = new long[rounds];
        long seq = checker.received();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Traffic.send(client, ++seq);
            while (client.poll(checker, 1) == 0) {
                Thread.yield(); // 2 shared cores: let the event loops run
            }
            rtt[i] = System.nanoTime() - t0;
        }
        return rtt;
    }
}
