package io.flotilla.kernel;

import io.flotilla.frame.Frame;
import io.flotilla.machine.Machine;
import org.HdrHistogram.Histogram;

/**
 * Counts of one run: messages and frames sent and received per core, and the delivery latency of every message
 * (send of its first frame to the start of its handler) in cycles, in an HdrHistogram. A {@link Tracer}, so it can
 * be fed alongside a trace; every {@link Multikernel} keeps one ({@link Multikernel#metrics()}).
 *
 * <p>Recorded by the platforms that see frames move: sim (its channels report every frame). On pinned the frames go
 * through the real transports, which report nothing yet, so the counts stay zero there.
 *
 * <p>Not thread-safe: written by the simulating thread, read after the run.
 */
public final class Metrics implements Tracer {

    /** Bytes a frame occupies on the wire: one cache line. */
    public static final int FRAME_BYTES = Frame.WORDS * Long.BYTES;

    // Three significant digits: a 1-cycle resolution up to 2048 cycles, 0.1% above; plenty for latencies.
    private final Histogram latency = new Histogram(3);
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
        latency.reset();
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
        latency.recordValue(Math.max(0, time - sentAt));
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
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile);
    }

    public long latencyMax() {
        return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue();
    }

    /** A copy of the latency histogram (cycles), for merging or exporting. */
    public Histogram latencyHistogram() {
        return latency.copy();
    }

    /** The few lines {@code flotilla run} ends with, each ending in a newline. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("metrics: %d messages sent, %d received, %d bytes sent%n", messagesSent(),
                messagesReceived(), bytesSent()));
        out.append(String.format("  delivery latency: p50 %d cycles, p99 %d cycles, max %d cycles%n",
                latencyPercentile(50), latencyPercentile(99), latencyMax()));
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
