package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static io.flotilla.cli.Run.flotillaWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.plugin.FlotillaPlugin;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User code reaches every command the same way: {@code -cp}, {@code FLOTILLA_CLASS_PATH} and the plugin folders
 * ({@code $FLOTILLA_HOME/plugins}, {@code $HOME/.flotilla/plugins}); bad entries are one line naming the entry.
 * The services files live only in temporary jars and directories, so what is found was found through them.
 */
class UserCodeTest {

    @TempDir
    Path dir;

    /** Found only through a services file on the user class path; its cost depends on cores and a parameter. */
    public static final class Linear implements Scenario {
        @Override
        public String name() {
            return "test-linear";
        }

        @Override
        public String description() {
            return "test only: per-core cost times cores";
        }

        @Override
        public List<String> series() {
            return List.of("a", "b");
        }

        @Override
        public Map<String, String> parameters() {
            return Map.of("per-core", "10");
        }

        @Override
        public Measurement run(ScenarioContext c) {
            long perCore = c.longParameter("per-core", 10) * (c.series().equals("b") ? 2 : 1);
            return Measurement.of(perCore * c.cores()).with("cores-seen", c.cores());
        }
    }

    private Path services(Path root, Class<?> service, Class<?>... impls) throws IOException {
        Path file = root.resolve("META-INF/services/" + service.getName());
        Files.createDirectories(file.getParent());
        var sb = new StringBuilder();
        for (Class<?> c : impls) {
            sb.append(c.getName()).append('\n');
        }
        Files.writeString(file, sb);
        return root;
    }

    /** A jar holding one services file naming {@code impl} (which the test's own loader has). */
    private Path jar(Path file, Class<?> service, Class<?> impl) throws IOException {
        Files.createDirectories(file.getParent());
        try (var out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + service.getName()));
            out.write((impl.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return file;
    }

    @Test
    void aMissingEntryIsOneLineNamingIt() {
        Run r = flotilla("experiment", "list", "-cp", dir.resolve("gone.jar").toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("flotilla experiment list: --class-path: " + dir.resolve("gone.jar")
                + ": no such file or directory" + System.lineSeparator());
    }

    @Test
    void aFileThatIsNotAJarIsRefused() throws IOException {
        Path notJar = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        Run r = flotilla("run", "-cp", notJar.toString(), "ping-pong");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("flotilla run: --class-path: " + notJar + ": not a jar or a class directory")
                .hasLineCount(1);
    }

    @Test
    void aBadEntryOfTheEnvironmentVariableNamesIt() {
        Run r = flotillaWith(Map.of("FLOTILLA_CLASS_PATH", dir.resolve("nope").toString()), "plugins");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("FLOTILLA_CLASS_PATH: " + dir.resolve("nope") + ": no such file");
    }

    @Test
    void theEnvironmentVariableAddsPlugins() throws IOException {
        Path cp = services(dir.resolve("classes"), FlotillaPlugin.class, PluginsCommandTest.Greeter.class);
        Run r = flotillaWith(Map.of("FLOTILLA_CLASS_PATH", cp.toString()), "plugins");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("3 plugins", "greeter 1.4.0");
    }

    @Test
    void jarsDroppedIntoEitherPluginFolderAreFound() throws IOException {
        jar(dir.resolve("home/.flotilla/plugins/greeter.jar"), FlotillaPlugin.class, PluginsCommandTest.Greeter.class);
        jar(dir.resolve("install/plugins/linear.jar"), Scenario.class, Linear.class);
        Map<String, String> env = Map.of("HOME", dir.resolve("home").toString(),
                "FLOTILLA_HOME", dir.resolve("install").toString());

        Run plugins = flotillaWith(env, "plugins");
        Run list = flotillaWith(env, "experiment", "list");

        assertThat(plugins.out()).contains("greeter 1.4.0");
        assertThat(list.out()).contains("Scenarios on the class path: ", "test-linear");
    }

    @Test
    void aDirectoryWildcardTakesEveryJarInIt() throws IOException {
        jar(dir.resolve("lib/greeter.jar"), FlotillaPlugin.class, PluginsCommandTest.Greeter.class);
        Run r = flotilla("plugins", "-cp", dir.resolve("lib") + File.separator + "*");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("greeter 1.4.0");
    }

    @Test
    void runMeasuresOnePointOfAScenarioFromTheClassPath() throws IOException {
        Path cp = services(dir.resolve("classes"), Scenario.class, Linear.class);
        Run r = flotilla("run", "-cp", cp.toString(), "--topology", "amd-4x4", "--cores", "6", "--series", "b",
                "-P", "per-core=7", "test-linear");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("scenario test-linear, series b: 6 cores of amd-4x4 on sim, seed 1",
                "cycles: 84.0 per operation", "cores-seen: 6.0");
    }

    @Test
    void aScenarioPointIsCheckedLikeAnExperimentFile() throws IOException {
        Path cp = services(dir.resolve("classes"), Scenario.class, Linear.class);

        Run badParam = flotilla("run", "-cp", cp.toString(), "-P", "rounds=3", "test-linear");
        Run badSeries = flotilla("run", "-cp", cp.toString(), "--series", "c", "test-linear");

        assertThat(badParam.status()).isEqualTo(2);
        assertThat(badParam.err()).contains("scenario 'test-linear' has no parameter 'rounds' (its parameters: "
                + "per-core)");
        assertThat(badSeries.err()).contains("has no series 'c' (its series: a, b)");
    }

    @Test
    void runMeasuresAShippedScenarioDeterministically() {
        String[] args = {"run", "--topology", "amd-8x4", "--cores", "4", "--series", "Broadcast", "--quick",
            "tlb-shootdown"};
        Run first = flotilla(args);
        Run second = flotilla(args);

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).contains("scenario tlb-shootdown, series Broadcast: 4 cores of amd-8x4 on sim")
                .containsPattern("(?m)^trace-hash: [0-9a-f]{16}$");
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void runStartsAProgramsMainClassFromTheClassPath() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/org/example")).resolve("Hello.java");
        Files.writeString(src, """
                package org.example;
                public class Hello {
                    public static void main(String[] args) throws Exception {
                        java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), "hello " + args[1]);
                    }
                }
                """.replace("\n", System.lineSeparator()), StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(dir.resolve("app"));
        int javac = ToolProvider.getSystemJavaCompiler().run(null, OutputStream.nullOutputStream(), null,
                "-d", classes.toString(), src.toString());
        assertThat(javac).isZero();
        Path written = dir.resolve("out.txt");

        Run r = flotilla("run", "-cp", classes.toString(), "org.example.Hello", "--", written.toString(), "you");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(written).hasContent("hello you");
    }

    @Test
    void anUnknownNameSaysWhatRunCanStart() {
        Run r = flotilla("run", "org.example.Missing");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown example, scenario or program 'org.example.Missing' (examples: ping-pong,"
                + " replicated-kv; scenarios on the class path: ", "tlb-shootdown");
    }
}
