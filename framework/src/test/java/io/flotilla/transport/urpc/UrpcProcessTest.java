package io.flotilla.transport.urpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.transport.ChannelContract;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same ring between two JVMs over a mapped file: this JVM sends, a child JVM echoes. */
class UrpcProcessTest {

    static final long FRAMES = 100_000;

    @ParameterizedTest
    @EnumSource(FlowControl.class)
    @Timeout(60)
    void echoesAHundredThousandFramesThroughAChildJvm(FlowControl flow, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("channel.urpc");
        UrpcChannel channel = UrpcChannel.create(file, 32, flow);
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(),
                UrpcEchoMain.class.getName(), file.toString(), Long.toString(FRAMES)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            ChannelContract.Sequence echoes = new ChannelContract.Sequence();
            long sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            int spins = 0;
            while (echoes.received < FRAMES) {
                boolean progress = false;
                while (sent < FRAMES && channel.writableFrames() > 0) {
                    ChannelContract.send(channel, ++sent);
                    progress = true;
                }
                if (channel.poll(echoes, 64) > 0) {
                    progress = true;
                }
                if (!progress) {
                    if (!child.isAlive()) {
                        throw new AssertionError("child exited " + child.exitValue() + " after " + echoes.received
                                + " echoes: " + Files.readString(log));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("timed out after " + echoes.received + " echoes: " + Files.readString(log));
                    }
                    if ((++spins & 0xFF) == 0) {
                        Thread.yield();
                    }
                }
            }
            assertThat(echoes.received).isEqualTo(FRAMES);
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child exits").isTrue();
            assertThat(child.exitValue()).as(Files.readString(log)).isZero();
            assertThat(channel.isOpen()).as("the child closed its end").isFalse();
        } finally {
            channel.close();
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The child needs the urpc module, the API it implements, and the test classes; nothing else. */
    private static String classPath() throws Exception {
        Path tests = Path.of(UrpcEchoMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path urpc = Path.of(UrpcChannel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path api = Path.of(io.flotilla.channel.Channel.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        return urpc + File.pathSeparator + api + File.pathSeparator + tests;
    }

    @Test
    void childClassPathIsResolvable() throws Exception {
        assertThat(classPath()).contains(File.pathSeparator);
    }
}
