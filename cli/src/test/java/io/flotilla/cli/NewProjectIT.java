package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a new user does, for real: {@code flotilla new plugin} and {@code flotilla new app}, both built with
 * {@code mvn -B verify} against this reactor's artifacts, then the plugin's experiment run with {@code -cp} and the
 * app's main class started with {@code flotilla run -cp}.
 *
 * <p>The reactor's poms and jars are copied into a throw-away local repository under target/, and the nested Maven
 * reads every other artifact from the caller's local repository through a {@code file://} mirror, so nothing is
 * downloaded and nothing is written to the caller's repository. Runs in the integration-test phase (after
 * package, when every module's jar exists); needs the {@code maven.home} and {@code flotilla.it.*} properties the
 * cli pom passes.
 */
class NewProjectIT {

    @TempDir
    Path work;

    private static Path property(String name) {
        String v = System.getProperty(name);
        assertThat(v).as("system property " + name + " (set by the cli pom's integration-test execution)")
                .isNotBlank();
        return Path.of(v).toAbsolutePath().normalize();
    }

    @Test
    void newProjectsBuildWithMavenAndRunWithTheCli() throws Exception {
        // -Dtest=NewProjectIT also selects it in the test phase, before the jars exist and without the properties:
        // it runs in the integration-test execution, which always sets them.
        assumeTrue(System.getProperty("flotilla.it.root") != null, "runs in the integration-test phase");
        Path root = property("flotilla.it.root");
        Path m2 = property("flotilla.it.localRepository");
        Path mvn = property("maven.home").resolve("bin/mvn");
        Path repo = root.resolve("cli/target/it-repository");
        installReactor(root, repo);

        assertThat(flotilla("new", "plugin", work.resolve("p").toString()).status()).isZero();
        assertThat(flotilla("new", "app", work.resolve("hello").toString()).status()).isZero();
        // One Maven run for both: an aggregator beside them (JVM start-up is most of a small build).
        Files.writeString(work.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>it</groupId><artifactId>both</artifactId><version>1</version><packaging>pom</packaging>
                  <modules><module>p</module><module>hello</module></modules>
                </project>
                """);
        Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>callers-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """.formatted(m2.toUri()));

        Path log = work.resolve("mvn.log");
        Process build = new ProcessBuilder(mvn.toString(), "-B", "-s", work.resolve("settings.xml").toString(),
                "-Dmaven.repo.local=" + repo, "verify")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(build.waitFor(240, TimeUnit.SECONDS)).as("mvn verify finished in 240 s").isTrue();
        String output = Files.readString(log);
        assertThat(build.exitValue()).as(tail(output)).isZero();
        assertThat(output).contains("Tests run: 4, Failures: 0", "Tests run: 2, Failures: 0")
                .doesNotContain("[ERROR]", "SLF4J: Defaulting to no-operation");

        Path jar = work.resolve("p/target/p-0.1.0.jar");
        Run plugins = flotilla("plugins", "-cp", jar.toString());
        assertThat(plugins.out()).as(plugins.err()).contains("p 0.1.0", "org/example/p/p.if", "org.example.p.PPlugin");
        Path out = work.resolve("o");
        Run experiment = flotilla("experiment", "run", "-cp", jar.toString(), work.resolve("p/p.yaml").toString(),
                "--quick", "--out", out.toString());
        assertThat(experiment.status()).as(experiment.err()).isZero();
        assertThat(out.resolve("p.csv")).exists();
        assertThat(Files.readAllLines(out.resolve("p.csv"))).hasSize(1 + 2 * 3); // header, 2 series x 3 core counts
        assertThat(out.resolve("p.png")).exists();
        assertThat(out.resolve("report.md")).content().contains("p");

        Path app = work.resolve("hello/target/hello-0.1.0.jar");
        Run program = flotilla("run", "-cp", app.toString(), "org.example.hello.HelloApp", "--", "amd-2x2",
                "20");
        assertThat(program.status()).as(program.err()).isZero();
    }

    private static String tail(String log) {
        return log.length() < 6000 ? log : log.substring(log.length() - 6000);
    }

    /** Every module's pom, and its jar where it has one, into {@code repo} in the repository layout. */
    private static void installReactor(Path root, Path repo) throws Exception {
        deleteRecursively(repo.resolve("io/flotilla"));
        List<Path> poms = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root, 4)) {
            s.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !root.relativize(p).toString().matches(".*(^|/)(target|src|\\.git)/.*"))
                    .forEach(poms::add);
        }
        int jars = 0;
        for (Path pom : poms) {
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            Element project = d.getDocumentElement();
            Element parent = child(project, "parent");
            String group = text(project, "groupId", parent);
            String artifact = text(project, "artifactId", null);
            String version = text(project, "version", parent);
            Element packagingElement = child(project, "packaging");
            String packaging = packagingElement == null ? "jar" : packagingElement.getTextContent().strip();
            if (!"io.flotilla".equals(group) || artifact.equals("flotilla-cli")) {
                continue;
            }
            Path dir = Files.createDirectories(repo.resolve("io/flotilla").resolve(artifact).resolve(version));
            Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
            if (!packaging.equals("pom")) {
                Path jar = pom.resolveSibling("target/" + artifact + "-" + version + ".jar");
                assertThat(jar).as("the reactor's jar of " + artifact + " (run the build through package)").exists();
                Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                jars++;
            }
        }
        assertThat(jars).as("reactor jars copied").isGreaterThan(3);
    }

    private static Element child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static String text(Element project, String name, Element parent) {
        Element e = child(project, name);
        if (e == null && parent != null) {
            e = child(parent, name);
        }
        return e == null ? null : e.getTextContent().strip();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }
}
