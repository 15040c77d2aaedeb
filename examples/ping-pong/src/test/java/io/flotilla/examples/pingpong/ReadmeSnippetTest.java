package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.binding.Binding;
import io.flotilla.examples.pingpong.generated.PingPong;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's code snippet runs as written: it is cut out of README.md (the Java block after the
 * {@code readme-snippet} marker), put into a {@code main} method with the imports the README names, compiled with
 * {@code -Xlint:all -Werror} against the generated ping-pong stubs, and run.
 */
class ReadmeSnippetTest {

    static final String MARKER = "<!-- readme-snippet: compiled and run by examples/ping-pong ReadmeSnippetTest -->";

    @TempDir
    Path dir;

    static Path readme() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path r = p.resolve("README.md");
            if (Files.isRegularFile(r) && Files.isDirectory(p.resolve("examples/ping-pong"))) {
                return r;
            }
        }
        throw new AssertionError("README.md of the repository not found above " + Path.of("").toAbsolutePath());
    }

    static String snippet() throws Exception {
        String text = Files.readString(readme());
        int at = text.indexOf(MARKER);
        assertThat(at).as("marker in README.md").isNotNegative();
        int start = text.indexOf("```java\n", at) + "```java\n".length();
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }

    @Test
    @Timeout(60)
    void theReadmeSnippetCompilesAndRuns() throws Exception {
        String source = """
                package readme;

                import io.flotilla.binding.*;
                import io.flotilla.channel.*;
                import io.flotilla.examples.pingpong.generated.*;
                import java.time.Duration;

                public final class Snippet {
                    public static void main(String[] args) throws Exception {
                %s
                    }
                }
                """.formatted(snippet());
        Path src = Files.createDirectories(dir.resolve("src/readme"));
        Files.writeString(src.resolve("Snippet.java"), source);
        Path out = Files.createDirectories(dir.resolve("classes"));
        var errors = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, "-Xlint:all", "-Werror",
                "--release", "17", "-classpath", classPath(), "-d", out.toString(), src.resolve("Snippet.java").toString());
        assertThat(rc).as(errors.toString(StandardCharsets.UTF_8)).isZero();

        var printed = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try (var loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("readme.Snippet").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        var crc = new CRC32();
        crc.update(new byte[] {1, 2, 3});
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("crc " + Long.toHexString(crc.getValue()));
    }

    static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        for (Class<?> c : List.of(Binding.class, PingPong.class)) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
