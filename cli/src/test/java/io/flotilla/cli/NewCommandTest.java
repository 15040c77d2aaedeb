package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla new}: what it writes and what it refuses, and that the poms the docs show are the ones it writes
 * (NewProjectIT builds those with Maven). Fast: no Maven here.
 */
class NewCommandTest {

    @TempDir
    Path dir;

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void aPluginProjectHasItsPomInterfaceCodeTestExperimentAndReadme() throws IOException {
        Path p = dir.resolve("my-barrier");
        Run r = flotilla("new", "plugin", p.toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(p.resolve("pom.xml")).exists();
        assertThat(p.resolve("README.md")).exists();
        assertThat(p.resolve("my-barrier.yaml")).content().contains("scenario: my-barrier");
        assertThat(p.resolve("src/main/flotilla/my_barrier.if")).content().contains("interface my_barrier ");
        Path pkg = p.resolve("src/main/java/org/example/mybarrier");
        assertThat(pkg.resolve("MyBarrierPlugin.java")).content().contains("package org.example.mybarrier;",
                "return \"my-barrier\";", "org/example/mybarrier/my_barrier.if");
        assertThat(p.resolve("src/test/java/org/example/mybarrier/MyBarrierScenarioTest.java")).exists();
        assertThat(p.resolve("src/main/resources/META-INF/services/io.flotilla.scenario.Scenario"))
                .hasContent("org.example.mybarrier.MyBarrierScenario");
        for (Path f : files(p)) {
            assertThat(f).content().as(f.toString()).doesNotContain("{{");
            assertThat(f.toString()).doesNotContain("__");
        }
    }

    @Test
    void theGeneratedPomPinsEveryLifecyclePluginAtTheVersionsFlotillaBuildsWith() throws IOException {
        flotilla("new", "app", dir.resolve("a").toString());
        String pom = Files.readString(dir.resolve("a/pom.xml"));
        String root = Files.readString(Path.of("..", "pom.xml"));

        for (String plugin : List.of("clean", "resources", "compiler", "surefire", "jar", "install", "deploy")) {
            Matcher m = Pattern.compile("<artifactId>maven-" + plugin
                    + "-plugin</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
            assertThat(m.find()).as("maven-" + plugin + "-plugin pinned").isTrue();
            assertThat(root).contains("<" + plugin + ".plugin.version>" + m.group(1) + "<");
        }
        assertThat(pom).contains("<artifactId>flotilla-bom</artifactId>", "<scope>import</scope>",
                "<flotilla.version>" + ProjectTemplate.versions().get("flotilla.version") + "</flotilla.version>");
    }

    @Test
    void namesAndPackagesCanBeGiven() throws IOException {
        Run r = flotilla("new", "app", dir.resolve("x").toString(), "--name", "kv-store", "--group-id", "edu.uni",
                "--package", "edu.uni.kv");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(dir.resolve("x/src/main/java/edu/uni/kv/KvStoreApp.java")).exists();
        assertThat(dir.resolve("x/pom.xml")).content().contains("<groupId>edu.uni</groupId>",
                "<artifactId>kv-store</artifactId>");
    }

    @Test
    void aDirectoryInUseIsRefused() throws IOException {
        Files.createDirectories(dir.resolve("busy"));
        Files.writeString(dir.resolve("busy/notes.txt"), "mine");
        Run r = flotilla("new", "plugin", dir.resolve("busy").toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("flotilla new: " + dir.resolve("busy")
                + " exists and is not an empty directory; give a new one" + System.lineSeparator());
        assertThat(dir.resolve("busy/pom.xml")).doesNotExist();
    }

    @Test
    void aNameThatCannotNameAProjectIsRefused() {
        Run badName = flotilla("new", "plugin", dir.resolve("My Plugin").toString());
        Run keyword = flotilla("new", "plugin", dir.resolve("ok").toString(), "--package", "org.example.new");

        assertThat(badName.status()).isEqualTo(1);
        assertThat(badName.err()).startsWith("flotilla new: 'My Plugin' cannot name a project").hasLineCount(1);
        assertThat(keyword.err()).startsWith("flotilla new: 'org.example.new' is not a Java package name");
    }

    /** The first ```xml block of a markdown file that holds a whole pom. */
    private static String pomIn(Path markdown) throws IOException {
        Matcher m = Pattern.compile("```xml\\n((?:<\\?xml[^\\n]*\\n)?<project[\\s\\S]*?</project>\\n)```")
                .matcher(Files.readString(markdown));
        assertThat(m.find()).as("a ```xml block with a <project> in " + markdown).isTrue();
        return m.group(1);
    }

    @Test
    void thePluginPomInTheDocsIsTheOneNewPluginWrites() throws IOException {
        flotilla("new", "plugin", dir.resolve("echo").toString(), "--group-id", "com.example");

        assertThat(pomIn(Path.of("..", "docs", "writing-a-plugin.md")))
                .as("docs/writing-a-plugin.md's pom; update it from `flotilla new plugin echo --group-id com.example`")
                .isEqualTo(Files.readString(dir.resolve("echo/pom.xml")));
    }

    @Test
    void theAppPomInTheReadmeIsTheOneNewAppWrites() throws IOException {
        flotilla("new", "app", dir.resolve("hello").toString());

        assertThat(pomIn(Path.of("..", "README.md")))
                .as("README.md's pom; update it from `flotilla new app hello`")
                .isEqualTo(Files.readString(dir.resolve("hello/pom.xml")));
    }
}
