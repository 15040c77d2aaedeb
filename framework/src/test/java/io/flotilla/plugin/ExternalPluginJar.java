package io.flotilla.plugin;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A plugin written outside this repository's sources, as a user would: Java source, a services file and an
 * {@code .if} file, compiled in the test with javac against the test's class path and packed into a jar, as
 * {@code mvn package} would. Built once per test JVM (javac is slow to warm up).
 */
final class ExternalPluginJar {

    static final String IF_PATH = "com/example/echo/echo.if";

    static final String SOURCE = """
            package com.example.echo;

            import com.google.inject.AbstractModule;
            import com.google.inject.Module;
            import com.google.inject.name.Names;
            import io.flotilla.binding.InterfaceDescriptor;
            import io.flotilla.binding.MessageDescriptor;
            import io.flotilla.plugin.FlotillaPlugin;
            import java.util.List;

            /** Echoes messages back; written against the plugin SPI only. */
            public final class EchoPlugin implements FlotillaPlugin {

                /** What the generated stubs' Echo.DESCRIPTOR would be. */
                public static final InterfaceDescriptor DESCRIPTOR = new InterfaceDescriptor("echo",
                        "Echoes every message", 0x0123456789abcdefL,
                        List.of(new MessageDescriptor(0, "echo", MessageDescriptor.Kind.MESSAGE)));

                /** Created by ServiceLoader. */
                public EchoPlugin() {}

                @Override
                public String name() {
                    return "echo";
                }

                @Override
                public String version() {
                    return "1.2.0";
                }

                @Override
                public String requiredApi() {
                    return "1.0";
                }

                @Override
                public List<String> interfaces() {
                    return List.of("%s");
                }

                @Override
                public List<InterfaceDescriptor> descriptors() {
                    return List.of(DESCRIPTOR);
                }

                @Override
                public Module module() {
                    return new AbstractModule() {
                        @Override
                        protected void configure() {
                            bind(String.class).annotatedWith(Names.named("echo.greeting")).toInstance("echo 1.2.0");
                        }
                    };
                }
            }
            """.formatted(IF_PATH);

    static final String INTERFACE = """
            interface echo "Echoes every message" {
                message echo(uint64 n);
            };
            """;

    /** The plugin's jar, with its .if file. */
    final Path jar;
    /** The same classes and services file, but the .if file left out of the jar. */
    final Path jarWithoutInterface;

    private static ExternalPluginJar built;

    private ExternalPluginJar(Path jar, Path jarWithoutInterface) {
        this.jar = jar;
        this.jarWithoutInterface = jarWithoutInterface;
    }

    static synchronized ExternalPluginJar get() {
        if (built == null) {
            built = build();
        }
        return built;
    }

    private static ExternalPluginJar build() {
        try {
            Path dir = Files.createTempDirectory("flotilla-plugin-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            Path src = dir.resolve("src/com/example/echo/EchoPlugin.java");
            Files.createDirectories(src.getParent());
            Files.writeString(src, SOURCE);
            Path classes = dir.resolve("classes");
            Files.createDirectories(classes);
            compile(src, classes);
            byte[] services = "# the plugin's service entry\ncom.example.echo.EchoPlugin\n"
                    .getBytes(StandardCharsets.UTF_8);
            Path jar = dir.resolve("echo-plugin-1.2.0.jar");
            Path bare = dir.resolve("echo-plugin-no-if-1.2.0.jar");
            writeJar(jar, classes, services, true);
            writeJar(bare, classes, services, false);
            return new ExternalPluginJar(jar, bare);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compile(Path source, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        var diags = new DiagnosticCollector<JavaFileObject>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, StandardCharsets.UTF_8)) {
            var opts = List.of("-Xlint:all", "-Werror", "--release", "17", "-classpath", classPath(), "-d",
                    out.toString(), "-encoding", "UTF-8", "-implicit:none", "-proc:none");
            var log = new StringWriter();
            boolean ok = javac.getTask(log, fm, diags, opts, null, fm.getJavaFileObjects(source)).call();
            if (!ok || !diags.getDiagnostics().isEmpty()) {
                throw new AssertionError("the external plugin does not compile cleanly:\n" + log + diags.getDiagnostics());
            }
        }
    }

    private static void writeJar(Path jar, Path classes, byte[] services, boolean withInterface) throws IOException {
        try (OutputStream fos = Files.newOutputStream(jar); var out = new JarOutputStream(fos);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                put(out, classes.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
            }
            put(out, "META-INF/services/" + FlotillaPlugin.class.getName(), services);
            if (withInterface) {
                put(out, IF_PATH, INTERFACE.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    /** The test class path, plus where the framework and Guice live (surefire may hide them in a manifest jar). */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)));
        for (Class<?> c : List.of(FlotillaPlugin.class, com.google.inject.Module.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }
}
