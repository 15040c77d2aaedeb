package io.flotilla.codegen;

import com.palantir.javapoet.JavaFile;
import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.model.Interface;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Generates the Java for interface models, compiles it (and optional driver sources) in the test with
 * {@code -Xlint:all -Werror --release 17} against the test's own class path, and loads it. Javadoc is checked too
 * ({@code -Xdoclint:all/protected}): every public generated type and member must be documented and well-formed.
 */
final class GeneratedSources {

    final Path dir;
    final ClassLoader loader;
    final List<GeneratedInterface> generated;

    private GeneratedSources(Path dir, ClassLoader loader, List<GeneratedInterface> generated) {
        this.dir = dir;
        this.loader = loader;
        this.generated = generated;
    }

    static final String PACKAGE = "gen.test";

    private static GeneratedSources shared;

    /**
     * Every test interface and driver, compiled once per test JVM: javac is slow to warm up, so the test classes
     * share one compilation.
     */
    static synchronized GeneratedSources shared() {
        if (shared == null) {
            var ifaces = new ArrayList<>(TestInterfaces.all());
            ifaces.add(NamingTest.hygiene());
            ifaces.add(TestInterfaces.sequenced());
            ifaces.add(TestInterfaces.carrierNames());
            shared = compile(ifaces, Map.of(
                    "gen.test.PingPongDriver", LoopbackDriverTest.PING_PONG_DRIVER,
                    "gen.test.EverythingDriver", LoopbackDriverTest.EVERYTHING_DRIVER));
        }
        return shared;
    }

    /** Generates every interface, adds the driver sources (fully qualified class name -> text), compiles, loads. */
    static GeneratedSources compile(List<Interface> ifaces, Map<String, String> drivers) {
        try {
            Path dir = Files.createTempDirectory("flotilla-codegen-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            Path src = dir.resolve("src");
            Path out = dir.resolve("classes");
            Files.createDirectories(out);
            var gens = new ArrayList<GeneratedInterface>();
            var files = new ArrayList<Path>();
            for (Interface i : ifaces) {
                GeneratedInterface g = new JavaStubGenerator(PACKAGE).generate(i);
                if (g.diagnostics().stream().anyMatch(Diagnostic::isError)) {
                    throw new AssertionError("generation failed: " + g.diagnostics());
                }
                gens.add(g);
                files.addAll(g.writeTo(src));
            }
            for (var d : drivers.entrySet()) {
                Path p = src.resolve(d.getKey().replace('.', '/') + ".java");
                Files.createDirectories(p.getParent());
                Files.writeString(p, d.getValue());
                files.add(p);
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            var diags = new DiagnosticCollector<JavaFileObject>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                var opts = List.of("-Xlint:all", "-Xdoclint:all/protected", "-Werror", "--release", "17", "-classpath", classPath(), "-d",
                        out.toString(), "-encoding", "UTF-8", "-implicit:none", "-proc:none");
                var log = new StringWriter();
                boolean ok = javac.getTask(log, fm, diags, opts, null, fm.getJavaFileObjectsFromPaths(files)).call();
                if (!ok || !diags.getDiagnostics().isEmpty()) {
                    var sb = new StringBuilder("generated code does not compile cleanly:\n").append(log);
                    for (var d : diags.getDiagnostics()) {
                        sb.append(d).append('\n');
                        if (d.getSource() != null && d.getLineNumber() > 0) {
                            String[] lines = d.getSource().getCharContent(true).toString().split("\n");
                            long l = d.getLineNumber();
                            for (long k = Math.max(1, l - 3); k <= Math.min(lines.length, l + 2); k++) {
                                sb.append(String.format("%5d| %s%n", k, lines[(int) k - 1]));
                            }
                        }
                    }
                    throw new AssertionError(sb.toString());
                }
            }
            var loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
                    GeneratedSources.class.getClassLoader());
            return new GeneratedSources(dir, loader, gens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test class path, plus where the framework and test classes live (surefire may hide them in a jar). */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path")
                .split(java.io.File.pathSeparator)));
        for (Class<?> c : List.of(io.flotilla.binding.Binding.class, GeneratedSources.class,
                org.assertj.core.api.Assertions.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    Class<?> load(String simpleName) {
        try {
            return Class.forName(PACKAGE + "." + simpleName, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /** The text of a generated file, by simple class name. */
    String source(String simpleName) {
        for (GeneratedInterface g : generated) {
            for (JavaFile f : g.files()) {
                if (f.typeSpec().name().equals(simpleName)) {
                    return f.toString();
                }
            }
        }
        throw new AssertionError("no generated file " + simpleName);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }

    static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
