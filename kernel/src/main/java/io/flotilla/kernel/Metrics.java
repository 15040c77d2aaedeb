package io.flotilla.kernel;

import io.flotilla.frame.Frame;
import io.flotilla.machine.Machine;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Counts of one run: messages and frames sent and received per core, and the delivery latency of every message
 * (send of its first frame to the start of its handler) in cycles, in an HdrHistogram. A {@link Tracer}, so it can
 * be fed alongside a trace; every {@link Multikernel} keeps one ({@link Multikernel#metrics()}).
 *
 * <p>Recorded by both platforms: sim's channels report every frame; on pinned the platform wraps the channel ends
 * it opens (and the node runtime the ends of binds between JVMs) in {@code MeteredChannel}s. A message whose send
 * time is unknown ({@code sentAt < 0}: its sender is in another JVM, or pinned did not sample it) is counted
 * without a latency. On pinned, with no trace taken, only one message in {@code MeteredChannel.SAMPLE} is timed:
 * reading the clock on both cores for every message would cost more than the channel itself.
 *
 * <p>Threads: everything about core {@code c} is written by core {@code c}'s thread only (on sim, the simulating
 * thread): counters and one latency histogram per core, merged when read. Read after the run (on pinned, after its
 * core threads have been joined). Recording allocates nothing once a histogram has grown to its range.
 */
public final class Metrics implements Tracer {

    /** Counts every frame and message; a sample of the latencies is enough. */
    @Override
    public boolean sampled() {
        return true;
    }

    /** The workload's metrics: the kernel's own monitor traffic is not counted. */
    @Override
    public Tracer forKernelTraffic() {
        return NONE;
    }


    /** Bytes a frame occupies on the wire: one cache line. */
    public static final int FRAME_BYTES = Frame.WORDS * Long.BYTES;
    /** Beyond this many cores the per-core line is summarised; {@link #perCoreCsv} keeps every core. */
    public static final int PER_CORE_DETAIL_LIMIT = 32;

    // Three significant digits: a 1-cycle resolution up to 2048 cycles, 0.1% above; plenty for latencies.
    private Histogram[] latency = new Histogram[0];
    /**
     * Every core's four counters in one array, each core's in a block of {@link #STRIDE} longs of its own: on pinned
     * the cores count from their own threads on every frame, and counters of two cores on one cache line would
     * bounce that line between their CPUs on every frame (false sharing). 16 longs are two lines, so the adjacent-
     * line prefetcher does not pair one core's block with its neighbour's either.
     */
    private long[] counts = new long[0];
    private int cores;

    private static final int STRIDE = 16;
    private static final int MESSAGES_SENT = 0;
    private static final int MESSAGES_RECEIVED = 1;
    private static final int FRAMES_SENT = 2;
    private static final int FRAMES_RECEIVED = 3;

    @Override
    public void boot(Machine machine, int cores) {
        this.cores = cores;
        // One spare block in front: core 0's counters do not share a line with the array's header either.
        counts = new long[(cores + 1) * STRIDE];
        latency = new Histogram[cores]; // made on a core's first message: big machines have idle cores
    }

    private static int at(int core, int counter) {
        return (core + 1) * STRIDE + counter;
    }

    @Override
    public void frameSent(int core, boolean last) {
        counts[at(core, FRAMES_SENT)]++;
        if (last) {
            counts[at(core, MESSAGES_SENT)]++;
        }
    }

    @Override
    public void frameReceived(int core) {
        counts[at(core, FRAMES_RECEIVED)]++;
    }

    @Override
    public void received(int core, long flow, long sentAt, long time) {
        counts[at(core, MESSAGES_RECEIVED)]++;
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
        return cores;
    }

    public long messagesSent(int core) {
        return counts[at(core, MESSAGES_SENT)];
    }

    public long messagesReceived(int core) {
        return counts[at(core, MESSAGES_RECEIVED)];
    }

    public long framesSent(int core) {
        return counts[at(core, FRAMES_SENT)];
    }

    public long framesReceived(int core) {
        return counts[at(core, FRAMES_RECEIVED)];
    }

    public long messagesSent() {
        return sum(MESSAGES_SENT);
    }

    public long messagesReceived() {
        return sum(MESSAGES_RECEIVED);
    }

    /** Bytes sent: frames times {@link #FRAME_BYTES}. */
    public long bytesSent() {
        return sum(FRAMES_SENT) * FRAME_BYTES;
    }

    public long bytesReceived() {
        return sum(FRAMES_RECEIVED) * FRAME_BYTES;
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
        return out.append(perCore()).append(System.lineSeparator()).toString();
    }

    /**
     * The per-core line: every core with traffic, as {@code core: sent/received}, up to
     * {@link #PER_CORE_DETAIL_LIMIT} cores; beyond that (1024 cores make a 20 kB line) the spread over all booted
     * cores (min, median, max of messages sent and received) and the busiest cores, which are the ones that bound a
     * run's time.
     */
    String perCore() {
        int n = cores();
        long[] messagesSent = column(MESSAGES_SENT);
        long[] messagesReceived = column(MESSAGES_RECEIVED);
        if (n <= PER_CORE_DETAIL_LIMIT) {
            StringBuilder cores = new StringBuilder("  per core (sent/received):");
            for (int c = 0; c < n; c++) {
                if (messagesSent[c] + messagesReceived[c] > 0) {
                    cores.append(' ').append(c).append(": ").append(messagesSent[c]).append('/')
                            .append(messagesReceived[c]);
                }
            }
            return cores.toString();
        }
        // Most traffic first; ties by core id, so the line is the same on every run with the same counts.
        List<Integer> busiest = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingLong((Integer c) -> -(messagesSent[c] + messagesReceived[c]))
                        .thenComparingInt(c -> c))
                .limit(5).toList();
        StringBuilder line = new StringBuilder(String.format("  per core, %d cores (min/median/max): sent %s,"
                + " received %s; busiest (sent/received):", n, spread(messagesSent), spread(messagesReceived)));
        for (int c : busiest) {
            line.append(' ').append(c).append(": ").append(messagesSent[c]).append('/').append(messagesReceived[c]);
        }
        return line.toString();
    }

    private static String spread(long[] counts) {
        long[] sorted = counts.clone();
        Arrays.sort(sorted);
        return sorted[0] + "/" + sorted[sorted.length / 2] + "/" + sorted[sorted.length - 1];
    }

    /** Every booted core's counts, one CSV row each: {@code core,messages_sent,messages_received,frames_sent,...}. */
    public String perCoreCsv() {
        StringBuilder csv = new StringBuilder("core,messages_sent,messages_received,frames_sent,frames_received\n");
        for (int c = 0; c < cores(); c++) {
            csv.append(c).append(',').append(messagesSent(c)).append(',').append(messagesReceived(c)).append(',')
                    .append(framesSent(c)).append(',').append(framesReceived(c)).append('\n');
        }
        return csv.toString();
    }

    private long sum(int counter) {
        long s = 0;
        for (int c = 0; c < cores; c++) {
            s += counts[at(c, counter)];
        }
        return s;
    }

    /** One counter of every core, as an array indexed by core. */
    private long[] column(int counter) {
        long[] column = new long[cores];
        for (int c = 0; c < cores; c++) {
            column[c] = counts[at(c, counter)];
        }
        return column;
    }
}
