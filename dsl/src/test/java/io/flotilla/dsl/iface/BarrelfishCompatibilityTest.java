package io.flotilla.dsl.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Compiles every interface of a Barrelfish checkout (its {@code if/} directory, named by the system property
 * {@code flotilla.barrelfish.if}), with the x86_64 includes a Barrelfish build passes. Barrelfish's files are not
 * part of this project; without the property the test is skipped.
 */
@EnabledIfSystemProperty(named = "flotilla.barrelfish.if", matches = ".+")
class BarrelfishCompatibilityTest {

    @Test
    void everyBarrelfishInterfaceCompiles() throws IOException {
        Path dir = Path.of(System.getProperty("flotilla.barrelfish.if"));
        List<Path> includes = List.of(dir.resolve("platform/x86_64.if"), dir.resolve("arch/x86_64.if"),
                dir.resolve("types.if"));
        List<Path> interfaces;
        try (Stream<Path> files = Files.list(dir)) {
            interfaces = files.filter(p -> p.toString().endsWith(".if") && !p.endsWith("types.if")).sorted().toList();
        }
        assertThat(interfaces).isNotEmpty();
        for (Path file : interfaces) {
            CompileResult result = InterfaceLanguage.compile(file, includes);
            assertThat(result.hasErrors()).as(result.render()).isFalse();
            if (!file.endsWith("lpc_kbd.if")) { // declares interface keyboard: Flounder rejects it, we warn
                assertThat(result.diagnostics()).as(result.render()).isEmpty();
            }
        }
    }
}
