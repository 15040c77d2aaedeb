package io.flotilla.experiments.transport;

import io.flotilla.transport.urpc.UrpcChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * urpc between two processes: the ring lives in a memory-mapped file, the echo side is a child JVM
 * ({@link UrpcEchoProcess}). Round trips only: the child cannot report a one-way throughput through the harness's
 * clock. The in-process worker thread has nothing to do and parks.
 */
final class ProcessUrpcContestant extends Contestant {

    private final Path dir;
    private final UrpcChannel main;
    private final Process child;

    ProcessUrpcContestant() {
        super("urpc-process");
        try {
            dir = Files.createTempDirectory("flotilla-urpc-bench");
            Path file = dir.resolve("channel");
            // A bench stopped with ^C or SIGTERM skips close(); these still remove the file, then the directory.
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            boolean handBack = TransportBench.defaultHandBack();
            main = UrpcChannel.create(file, CAPACITY, TransportBench.defaultFlowControl(), handBack);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    UrpcEchoProcess.class.getName(), file.toString(), Boolean.toString(handBack))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the urpc echo process: " + e.getMessage(), e);
        }
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        ChannelContestant.Receiver replies = new ChannelContestant.Receiver();
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            ChannelContestant.send(main, ++i);
            while (main.poll(replies, 1) == 0) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("the urpc echo process exited: " + child.exitValue());
                }
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        ChannelContestant.send(main, STOP);
        return i;
    }

    @Override
    void echo() {
        // The child process echoes.
    }

    @Override
    boolean measuresThroughput() {
        return false;
    }

    @Override
    long produce(long deadline) {
        throw new UnsupportedOperationException("round trips only");
    }

    @Override
    void consume(BatchClock clock) {
        throw new UnsupportedOperationException("round trips only");
    }

    @Override
    void close() {
        main.close();
        try {
            if (!child.waitFor(5, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary file left behind is not worth failing a benchmark for
        }
    }
}
