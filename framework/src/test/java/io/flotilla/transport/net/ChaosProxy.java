package io.flotilla.transport.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that forwards to a target and, every few milliseconds (random, seeded), cuts every
 * connection through it at whatever byte it has reached: mid-record, mid-handshake, between batches.
 */
final class ChaosProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong cuts = new AtomicLong();
    private final Random random;
    private final int minGapMs;
    private final int maxGapMs;
    private volatile boolean running = true;
    private volatile boolean armed;
    private volatile boolean held;
    private final List<Thread> threads;

    ChaosProxy(InetSocketAddress target, long seed, int minGapMs, int maxGapMs) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.target = target;
        this.random = new Random(seed);
        this.minGapMs = minGapMs;
        this.maxGapMs = maxGapMs;
        this.threads = List.of(daemon("proxy-accept", this::acceptLoop), daemon("proxy-cutter", this::cutLoop));
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
    }

    /** Starts cutting (a first connect has no retries, so tests connect before arming). */
    void arm() {
        armed = true;
    }

    long cuts() {
        return cuts.get();
    }

    /**
     * While held the proxy accepts connections and closes them at once, as a peer that is unreachable would look;
     * existing connections are not touched (see {@link #cutNow}).
     */
    void hold(boolean held) {
        this.held = held;
    }

    /** Cuts every connection through the proxy now, at whatever byte it has reached. */
    void cutNow() {
        cuts.incrementAndGet();
        for (Socket s : List.copyOf(live)) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket downstream = listener.accept();
                if (held) {
                    downstream.close();
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 2000);
                downstream.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                live.add(downstream);
                live.add(upstream);
                daemon("proxy-up", () -> pump(downstream, upstream));
                daemon("proxy-down", () -> pump(upstream, downstream));
            } catch (IOException e) {
                // listener closed, or the target refused: the client will retry
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException cut) {
            // closed by the cutter or by an end
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void cutLoop() {
        while (running) {
            try {
                Thread.sleep(minGapMs + random.nextInt(maxGapMs - minGapMs + 1));
            } catch (InterruptedException e) {
                return;
            }
            if (armed && !live.isEmpty()) {
                cuts.incrementAndGet();
                for (Socket s : List.copyOf(live)) {
                    closeQuietly(s);
                }
            }
        }
    }

    private void closeQuietly(Socket s) {
        live.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() throws IOException {
        running = false;
        listener.close();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Socket s : List.copyOf(live)) {
            closeQuietly(s);
        }
    }
}
