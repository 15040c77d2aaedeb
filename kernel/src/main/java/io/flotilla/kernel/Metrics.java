package io.flotilla.kernel;

import io.flotilla.frame.Frame;
import io.flotilla.machine.Machine;
import org.HdrHistogram.Histogram;

/**
 * Counts of one run: messages and frames sent and received per core, and the delivery latency of every message
 * (send of its first frame to the start of its handler) in cycles, in an HdrHistogram. A {@link Tracer}, so it can
 * be fed alongside a trace; every {@link Multikernel} keeps one ({@link Multikernel#metrics()}).
 *
 * <p>Recorded by both platforms: sim's channels report every frame; on pinned the platform wraps the channel ends
 * it opens (and the node runtime the ends of binds between JVMs) in {@code MeteredChannel}s. A message whose send
 * time is unknown ({@code sentAt < 0}: its sender is in another JVM) is counted without a latency.
 *
 * <p>Threads: everything about core {@code c} is written by core {@code c}'s thread only (on sim, the simulating
 * thread): counters and one latency histogram per core, merged when read. Read after the run (on pinned, after its
 * core threads have been joined). Recording allocates nothing once a histogram has grown to its range.
 */
public final class Metrics implements Tracer {

    /** Bytes a frame occupies on the wire: one cache line. */
    public static final int FRAME_BYTES = Frame.WORDS * Long.BYTES;

    // Three significant digits: a 1-cycle resolution up to 2048 cycles, 0.1% above; plenty for latencies.
    private Histogram[] latency = new Histogram[0];
    private long[] messagesSent = new long[0];
    private long[] messagesReceived = new long[0];
    private long[] framesSent = new long[0];
    private long[] framesReceived = new long[0];

    @Override
    public void boot(Machine machine, int cores) {
        messagesSent = new long[cores];
        messagesReceived = new long[cores];
        framesSent = new long[cores];
        framesReceived = new long[cores];
        latency = new Histogram[cores]; // made on a core's first message: big machines have idle cores
    }

    @Override
    public void frameSent(int core, boolean last) {
        framesSent[core]++;
        if (last) {
            messagesSent[core]++;
        }
    }

    @Override
    public void frameReceived(int core) {
        framesReceived[core]++;
    }

    @Override
    public void received(int core, long flow, long sentAt, long time) {
        messagesReceived[core]++;
        if (sentAt >= 0) {
            Histogram h = latency[core];
            if (h == null) {
                h = new Histogram(3);
                latency[core] = h;
            }
            h.recordValue(Math.max(0, time - sentAt));
        }
    }

    /** Cores counted (those booted). */
    public int cores() {
        return messagesSent.length;
    }

    public long messagesSent(int core) {
        return messagesSent[core];
    }

    public long messagesReceived(int core) {
        return messagesReceived[core];
    }

    public long framesSent(int core) {
        return framesSent[core];
    }

    public long framesReceived(int core) {
        return framesReceived[core];
    }

    public long messagesSent() {
        return sum(messagesSent);
    }

    public long messagesReceived() {
        return sum(messagesReceived);
    }

    /** Bytes sent: frames times {@link #FRAME_BYTES}. */
    public long bytesSent() {
        return sum(framesSent) * FRAME_BYTES;
    }

    public long bytesReceived() {
        return sum(framesReceived) * FRAME_BYTES;
    }

    /** Delivery latency in cycles at {@code percentile} (0..100); 0 when nothing was received. */
    public long latencyPercentile(double percentile) {
        Histogram all = latencyHistogram();
        return all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(percentile);
    }

    public long latencyMax() {
        Histogram all = latencyHistogram();
        return all.getTotalCount() == 0 ? 0 : all.getMaxValue();
    }

    /** The latency histogram (cycles) of every core together: a new one, for merging or exporting. */
    public Histogram latencyHistogram() {
        Histogram all = new Histogram(3);
        for (Histogram h : latency) {
            if (h != null) {
                all.add(h);
            }
        }
        return all;
    }

    /** Messages received with a known latency: those whose sender ran in this JVM. */
    public long timedMessages() {
        long n = 0;
        for (Histogram h : latency) {
            n += h == null ? 0 : h.getTotalCount();
        }
        return n;
    }

    /** The few lines {@code flotilla run} ends with, each ending in a newline. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("metrics: %d messages sent, %d received, %d bytes sent%n", messagesSent(),
                messagesReceived(), bytesSent()));
        if (timedMessages() == 0 && messagesReceived() > 0) {
            out.append(String.format("  delivery latency: not timed (every message came from another JVM)%n"));
        } else {
            out.append(String.format("  delivery latency: p50 %d cycles, p99 %d cycles, max %d cycles%n",
                    latencyPercentile(50), latencyPercentile(99), latencyMax()));
        }
        StringBuilder cores = new StringBuilder("  per core (sent/received):");
        for (int c = 0; c < cores(); c++) {
            if (messagesSent[c] + messagesReceived[c] > 0) {
                cores.append(' ').append(c).append(": ").append(messagesSent[c]).append('/')
                        .append(messagesReceived[c]);
            }
        }
        return out.append(cores).append(System.lineSeparator()).toString();
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
