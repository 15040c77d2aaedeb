package io.flotilla.experiments.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A contestant in a JVM of its own ({@link ContestantHost}), as JMH forks each benchmark, driven over the child's
 * stdin and stdout. The default: {@link TransportBench}'s contestants share code (urpc's poll serves {@code urpc},
 * {@code urpc/56}, {@code runtime} and {@code urpc-process}, each with its own handler), and in one JVM the JIT
 * compiles that code for whichever mix of handlers it has seen when it gets to it. Measured (docs/benchmarks.md,
 * ninth session): in full runs in one JVM, urpc's full-frame stream settled for a whole run at about 60% of its rate
 * in some JVMs and not in others, and C2's inlining log showed why: urpc's receive loop had been compiled on its own,
 * with one contestant's handler inlined, into a body over {@code InlineSmallCode}, and the other contestants' loops
 * then called it instead of inlining it. No peer shares code with another contestant, so only urpc paid. In a JVM per
 * contestant each one's code is compiled for that contestant alone, as in a program with one binding per call site.
 *
 * <p>The rounds stay interleaved: the parent asks one child at a time for a phase, and the idle children block on a
 * read (no thread of theirs spins), so the contestants still share the machine's moods side by side.
 */
final class ForkedLane implements Lane {

    /** How long a child may take to start: a dozen JVMs start at once, on as few as two CPUs. */
    static final long START_SECONDS = 120;
    /** How long past its length a phase may take before its child is called hung. */
    static final long PHASE_GRACE_SECONDS = 60;

    /** What the reader thread queues at the end of the child's stdout. */
    private static final String END = new String("end of output");

    private final String label;
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private boolean measuresThroughput;
    private int words;
    private boolean pinned;

    private ForkedLane(String label, int mainCpu, int workerCpu) {
        this.label = label;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ContestantHost.class.getName(), label,
                Integer.toString(mainCpu), Integer.toString(workerCpu)));
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IllegalStateException("contestant " + label + ": cannot start its JVM: " + e.getMessage(), e);
        }
        commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readReplies, "transport-bench-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a JVM for each of {@code labels} at once and waits until every one has made its contestant.
     *
     * @throws IllegalStateException naming the contestant whose JVM failed, after stopping them all
     */
    static List<Lane> startAll(List<String> labels, int mainCpu, int workerCpu) {
        List<ForkedLane> lanes = new ArrayList<>();
        try {
            for (String label : labels) {
                lanes.add(new ForkedLane(label, mainCpu, workerCpu));
            }
            for (ForkedLane lane : lanes) {
                lane.awaitReady();
            }
        } catch (RuntimeException e) {
            lanes.forEach(ForkedLane::close);
            throw e;
        }
        return List.copyOf(lanes);
    }

    /**
     * The options this JVM was started with, for the children: a {@code -XX} flag or a {@code -D} property given to
     * the bench applies to every contestant. Debugger and agent options stay with the parent (a second JVM cannot
     * listen on the debugger's port).
     */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        // SLF4J's own warning that no logger is bound (OpenHFT affinity logs through it) once per child would bury
        // the progress lines; it still reports errors. A -D of the parent's comes later and wins.
        options.add("-Dslf4j.internal.verbosity=ERROR");
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib:") && !option.startsWith("-agentpath:")
                    && !option.startsWith("-javaagent:") && !option.startsWith("-Xrunjdwp")) {
                options.add(option);
            }
        }
        return options;
    }

    private void readReplies() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                replies.add(line);
            }
        } catch (IOException e) {
            // the child is gone: reported by the END below, with its exit status
        } finally {
            replies.add(END);
        }
    }

    private void awaitReady() {
        String[] ready = reply("ready", TimeUnit.SECONDS.toMillis(START_SECONDS)).split(" ");
        if (ready.length != 4) {
            throw fault("its JVM said '" + String.join(" ", ready) + "', not ready");
        }
        measuresThroughput = Boolean.parseBoolean(ready[1]);
        words = Integer.parseInt(ready[2]);
        pinned = Boolean.parseBoolean(ready[3]);
    }

    /**
     * The child's next line, which must begin with {@code verb}.
     *
     * @throws IllegalStateException if the child reported an error, exited, or said nothing for {@code millis}
     */
    private String reply(String verb, long millis) {
        String line;
        try {
            line = replies.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw fault("interrupted while waiting for its JVM");
        }
        if (line == null) {
            process.destroyForcibly();
            throw fault("its JVM did not answer in " + millis / 1000 + " s and was stopped");
        }
        if (line == END) {
            throw fault("its JVM exited" + exitStatus());
        }
        if (line.startsWith("error ")) {
            throw fault(line.substring("error ".length()));
        }
        if (!line.equals(verb) && !line.startsWith(verb + " ")) {
            throw fault("its JVM answered '" + line + "' to " + verb);
        }
        return line;
    }

    private String exitStatus() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? " with status " + process.exitValue() : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private IllegalStateException fault(String what) {
        return new IllegalStateException("contestant " + label + ": " + what);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String key() {
        return Contestant.keyOf(label);
    }

    @Override
    public int words() {
        return words;
    }

    @Override
    public boolean measuresThroughput() {
        return measuresThroughput;
    }

    @Override
    public boolean pinned() {
        return pinned;
    }

    @Override
    public void roundTrips(int millis, Histogram into) {
        commands.println("rtt " + millis);
        into.add(decode(reply("rtt", phaseTimeout(millis)).substring("rtt ".length())));
    }

    @Override
    public double oneWay(int millis, Histogram into) {
        commands.println("tput " + millis);
        String[] answer = reply("tput", phaseTimeout(millis)).split(" ");
        if (answer.length != 3) {
            throw fault("its JVM answered a one-way phase with " + (answer.length - 1) + " fields, not 2");
        }
        into.add(decode(answer[2]));
        return Double.parseDouble(answer[1]);
    }

    /** The child JVM's process (for tests). */
    ProcessHandle process() {
        return process.toHandle();
    }

    private static long phaseTimeout(int millis) {
        return millis + TimeUnit.SECONDS.toMillis(PHASE_GRACE_SECONDS);
    }

    private Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw fault("its JVM sent a histogram that does not decode: " + e.getMessage());
        }
    }

    /** Asks the child to close its contestant and exit; stops it if it has not within 10 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            commands.println("quit");
            commands.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
