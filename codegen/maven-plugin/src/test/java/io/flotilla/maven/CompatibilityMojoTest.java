package io.flotilla.maven;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal as Maven runs it: a baseline and the current sources, compared file by file. */
class CompatibilityMojoTest {

    @TempDir
    Path dir;

    private CompatibilityMojo mojo(String old, String now, String failOn) throws Exception {
        Path base = Files.createDirectories(dir.resolve("src/baseline/flotilla"));
        Path src = Files.createDirectories(dir.resolve("src/main/flotilla"));
        Files.writeString(base.resolve("kv.if"), old);
        Files.writeString(src.resolve("kv.if"), now);
        var mojo = new CompatibilityMojo();
        set(mojo, "sourceDirectory", src.toFile());
        set(mojo, "baselineDirectory", base.toFile());
        set(mojo, "includes", List.<File>of());
        set(mojo, "failOn", failOn);
        return mojo;
    }

    private static void set(Object target, String name, Object value) throws Exception {
        Field f = CompatibilityMojo.class.getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }

    static final String OLD = "interface kv { typedef struct { uint32 a; } p; message put(p x); };";

    @Test
    void aWireBreakingChangeFailsTheBuildWithItsPlace() throws Exception {
        var m = mojo(OLD, OLD.replace("uint32 a", "uint64 a"), "wire");
        assertThatThrownBy(m::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("kv.if:1:").hasMessageContaining("wire-breaking: arguments of 'put'");
    }

    @Test
    void aSourceBreakingChangeFailsOnlyWhenAskedTo() throws Exception {
        String renamed = OLD.replace("uint32 a", "uint32 b");
        assertThatCode(mojo(renamed, renamed, "wire")::execute).doesNotThrowAnyException();
        assertThatCode(mojo(OLD, renamed, "wire")::execute).doesNotThrowAnyException();
        assertThatThrownBy(mojo(OLD, renamed, "source")::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("source-breaking: fields of struct 'p' renamed: [a] -> [b]");
    }
}
