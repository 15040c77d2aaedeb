package io.flotilla.experiments.transport;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The JVM of one {@link ForkedLane}: makes one contestant, pins its two threads, and runs the phases its parent asks
 * for, one line each way.
 *
 * <p><b>Protocol</b> (UTF-8 lines; the child's stdout carries nothing else, its stderr is the parent's):
 * <pre>
 *   child:  ready &lt;measures throughput&gt; &lt;words&gt; &lt;pinned&gt;     once, when the contestant is made
 *   parent: rtt &lt;millis&gt;     child: rtt &lt;histogram&gt;
 *   parent: tput &lt;millis&gt;    child: tput &lt;Mmsg/s&gt; &lt;histogram&gt;
 *   parent: quit (or end of input)                     child: closes the contestant and exits 0
 *   child, instead of any answer: error &lt;what went wrong, one line&gt;, then exits 1
 * </pre>
 * A histogram is HdrHistogram's compressed encoding in Base64: round-trip nanoseconds, or batch nanoseconds.
 */
public final class ContestantHost {

    private ContestantHost() {}

    /** {@code <label> <main cpu> <worker cpu>}. */
    public static void main(String[] args) {
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // the protocol owns stdout
        if (args.length != 3) {
            protocol.println("error usage: ContestantHost <label> <main cpu> <worker cpu>");
            System.exit(2);
        }
        int mainCpu;
        int workerCpu;
        try {
            mainCpu = Integer.parseInt(args[1]);
            workerCpu = Integer.parseInt(args[2]);
        } catch (NumberFormatException e) {
            protocol.println("error the CPUs must be numbers, not '" + args[1] + "' and '" + args[2] + "'");
            System.exit(2);
            return;
        }
        Contestant contestant;
        try {
            contestant = Contestants.make(args[0]); // before pinning: see TransportBench.run
        } catch (RuntimeException | Error e) {
            protocol.println("error " + oneLine(e));
            System.exit(1);
            return;
        }
        Worker worker = new Worker(workerCpu);
        boolean workerPinned = worker.startPinned();
        boolean pinned = Pinning.pin(mainCpu) && workerPinned;
        Lane lane = new InProcessLane(contestant, worker, pinned);
        protocol.println("ready " + lane.measuresThroughput() + " " + lane.words() + " " + pinned);
        int status = serve(lane, protocol);
        worker.shutdown();
        lane.close();
        System.exit(status);
    }

    /** Answers the parent's commands until {@code quit} or the end of input: 0, or 1 after an error line. */
    private static int serve(Lane lane, PrintStream protocol) {
        // Allocated once: only the encoding after a phase allocates, so no collection is due inside one.
        Histogram rtt = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
        Histogram batches = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] words = line.split(" ");
                if (words.length == 2 && words[0].equals("rtt")) {
                    rtt.reset();
                    lane.roundTrips(Integer.parseInt(words[1]), rtt);
                    protocol.println("rtt " + encode(rtt));
                } else if (words.length == 2 && words[0].equals("tput")) {
                    batches.reset();
                    double mps = lane.oneWay(Integer.parseInt(words[1]), batches);
                    protocol.println("tput " + mps + " " + encode(batches));
                } else {
                    throw new IllegalArgumentException("unknown command '" + line + "'");
                }
            }
            return 0;
        } catch (IOException | RuntimeException | Error e) {
            Contestant.aborted = e; // releases the worker if it waits for this thread
            protocol.println("error " + oneLine(e));
            return 1;
        }
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    /** {@code e}'s message and its causes', on one line. */
    static String oneLine(Throwable e) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (line.length() > 0) {
                line.append(": ");
            }
            line.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        }
        return line.toString().replace('\n', ' ').replace('\r', ' ');
    }
}
