package io.flotilla.experiments.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run.properties} records of the code that produced a run (issue 16, item 6). */
class ProvenanceTest {

    @TempDir
    Path dir;

    @Test
    void recordsBuildPluginsJvmAndHost() {
        Map<String, String> keys = Provenance.keys(new StarScenario(), getClass().getClassLoader());
        assertThat(keys.get("flotilla.version")).isEqualTo("0.1.0-SNAPSHOT");
        // Built in a git checkout: the hash, perhaps with uncommitted changes; from an archive: unknown.
        assertThat(keys.get("flotilla.commit")).matches("[0-9a-f]{40}( with uncommitted changes)?|unknown .*");
        assertThat(keys).containsKeys("java", "host", "scenario.jar");
        assertThat(keys.get("java")).contains(System.getProperty("java.runtime.version"));
        assertThat(keys.get("host")).contains(Runtime.getRuntime().availableProcessors() + " CPUs");
        // The shipped plugins are on the test class path (as class directories or jars), each with its version.
        assertThat(keys).hasKeySatisfying(new org.assertj.core.api.Condition<>(k -> k.startsWith("plugin."),
                "a plugin"));
        keys.entrySet().stream().filter(e -> e.getKey().startsWith("plugin.")).forEach(e -> assertThat(e.getValue())
                .matches("\\d+\\.\\d+\\.\\d+\\S* .*"));
    }

    @Test
    void aJarIsFingerprintedWithItsSha256() throws IOException, NoSuchAlgorithmException {
        Path jar = dir.resolve("plugin.jar");
        Files.write(jar, new byte[] {'P', 'K', 3, 4, 42});
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        assertThat(Provenance.located(jar.toString())).isEqualTo(jar + " sha256:" + expected);
        assertThat(Provenance.located(dir.toString())).isEqualTo(dir + " (class directory, no fingerprint)");
    }
}
