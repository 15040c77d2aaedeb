package io.flotilla.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal as Maven runs it, with its parameters injected the way Maven injects them. */
class GenerateMojoTest {

    @TempDir
    Path dir;

    private Path src;
    private Path out;
    private MavenProject project;

    @BeforeEach
    void layout() throws Exception {
        src = Files.createDirectories(dir.resolve("src/main/flotilla"));
        out = dir.resolve("target/generated-sources/flotilla");
        project = new MavenProject();
    }

    private GenerateMojo mojo(List<File> includes) throws Exception {
        var mojo = new GenerateMojo();
        set(mojo, "sourceDirectory", src.toFile());
        set(mojo, "outputDirectory", out.toFile());
        set(mojo, "includes", includes);
        set(mojo, "packageName", "test.gen");
        set(mojo, "project", project);
        return mojo;
    }

    private static void set(Object target, String name, Object value) throws Exception {
        Field f = GenerateMojo.class.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }

    @Test
    void generatesStubsAndAddsTheSourceRoot() throws Exception {
        Files.writeString(src.resolve("echo.if"), "interface echo { message hi(uint32 n); };");
        mojo(List.of()).execute();

        assertThat(out.resolve("test/gen/Echo.java")).exists();
        assertThat(out.resolve("test/gen/EchoStub.java")).exists();
        assertThat(project.getCompileSourceRoots()).contains(out.toFile().getAbsolutePath());
    }

    @Test
    void skipsWhenUpToDateAndRegeneratesWhenAnInputChanges() throws Exception {
        Path iface = src.resolve("echo.if");
        Files.writeString(iface, "interface echo { message hi(uint32 n); };");
        mojo(List.of()).execute();
        Path stub = out.resolve("test/gen/EchoStub.java");
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(stub, old);

        mojo(List.of()).execute();
        assertThat(Files.getLastModifiedTime(stub)).isEqualTo(old);

        Files.writeString(iface, "interface echo { message hi(uint32 n); message bye(); };");
        mojo(List.of()).execute();
        assertThat(Files.readString(stub)).contains("bye(");
    }

    @Test
    void aRemovedInterfaceLeavesNoStaleClasses() throws Exception {
        Files.writeString(src.resolve("a.if"), "interface a { message m(); };");
        Files.writeString(src.resolve("b.if"), "interface b { message m(); };");
        mojo(List.of()).execute();
        assertThat(out.resolve("test/gen/B.java")).exists();

        Files.delete(src.resolve("b.if"));
        mojo(List.of()).execute();
        assertThat(out.resolve("test/gen/A.java")).exists();
        assertThat(out.resolve("test/gen/B.java")).doesNotExist();
    }

    @Test
    void includeFilesAreVisibleToEveryInterface() throws Exception {
        Path types = dir.resolve("types.if");
        Files.writeString(types, "alias coreid uint8;");
        Files.writeString(src.resolve("spawn.if"), "interface spawn { message at(coreid c); };");
        mojo(List.of(types.toFile())).execute();

        assertThat(out.resolve("test/gen/Spawn.java")).exists();
    }

    @Test
    void errorsFailTheBuildWithPositionedDiagnostics() throws Exception {
        Path bad = src.resolve("bad.if");
        Files.writeString(bad, "interface bad {\n  message m(nosuch x);\n};\n");

        assertThatThrownBy(() -> mojo(List.of()).execute())
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining(bad + ":2:13: error:")
                .hasMessageContaining("nosuch");
        assertThat(out.resolve(".flotilla-inputs")).doesNotExist();
    }

    /** Keeps what the goal logs, by level, instead of printing it. */
    static final class Levels extends SystemStreamLog {
        final List<String> warnings = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        @Override
        public void warn(CharSequence content) {
            warnings.add(content.toString());
        }

        @Override
        public void error(CharSequence content) {
            errors.add(content.toString());
        }

        @Override
        public void info(CharSequence content) {}
    }

    @Test
    void warningsAreLoggedAsWarningsEvenBesideErrors() throws Exception {
        // Declared in a file of another name: a warning (Flounder wants echo.if). The second file has such a warning
        // and an error too: before, its whole rendering went out as one [ERROR].
        Files.writeString(src.resolve("other.if"), "interface echo { message hi(uint32 n); };");
        var log = new Levels();
        GenerateMojo ok = mojo(List.of());
        ok.setLog(log);
        ok.execute();

        assertThat(log.errors).isEmpty();
        assertThat(log.warnings).singleElement().asString().contains("other.if:1:", "warning:");

        Files.writeString(src.resolve("zbad.if"), "interface zecho { message hi(nosuch n); };");
        var both = new Levels();
        GenerateMojo failing = mojo(List.of());
        failing.setLog(both);
        assertThatThrownBy(failing::execute).isInstanceOf(MojoFailureException.class);

        assertThat(both.warnings).hasSize(2).allMatch(w -> w.contains(": warning: interface '"));
        assertThat(both.warnings.get(1)).contains("zbad.if:1:11: warning:");
        assertThat(both.errors).singleElement().asString().contains("zbad.if:1:", "error:", "nosuch");
    }

    @Test
    void aProjectWithoutInterfacesIsFine() throws Exception {
        Files.delete(src);
        mojo(List.of()).execute();
        assertThat(out).doesNotExist();
    }

    @Test
    void topologyFilesBecomeMachineClasses() throws Exception {
        Files.writeString(src.resolve("tiny.topo"), """
                machine "tiny" {
                    clock 1 GHz
                    package 0 {
                        numa 0 memory 1 GiB
                        cores 0 .. 1
                        local latency 100
                    }
                    remote latency 200
                }
                """);
        mojo(List.of()).execute();

        assertThat(out.resolve("test/gen/TinyMachine.java")).exists();
    }
}
