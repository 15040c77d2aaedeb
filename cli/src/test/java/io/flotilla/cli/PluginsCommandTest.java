package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.flotilla.binding.InterfaceDescriptor;
import io.flotilla.plugin.FlotillaPlugin;
import io.flotilla.plugin.PluginDependency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla plugins} on flotilla's own class path (no plugins) and with {@code --class-path} directories whose
 * services files name the plugins below: the listing, and the loader's message with exit status 1.
 */
class PluginsCommandTest {

    @TempDir
    Path dir;

    /** A class directory holding only a services file naming these classes (which the test's loader has). */
    private Path services(String name, Class<?>... plugins) throws IOException {
        Path root = dir.resolve(name);
        Path file = root.resolve("META-INF/services/" + FlotillaPlugin.class.getName());
        Files.createDirectories(file.getParent());
        var sb = new StringBuilder();
        for (Class<?> c : plugins) {
            sb.append(c.getName()).append('\n');
        }
        Files.writeString(file, sb);
        return root;
    }

    /** Needs the greeter; listed first in the services file, loaded second. */
    public static final class Listener implements FlotillaPlugin {
        @Override
        public String name() {
            return "listener";
        }

        @Override
        public String version() {
            return "0.3.1";
        }

        @Override
        public String requiredApi() {
            return "1.x";
        }

        @Override
        public List<PluginDependency> dependencies() {
            return List.of(PluginDependency.on("greeter", "1.1"));
        }

        @Override
        public Module module() {
            return new AbstractModule() {};
        }
    }

    /** Speaks one interface, by descriptor. */
    public static final class Greeter implements FlotillaPlugin {
        @Override
        public String name() {
            return "greeter";
        }

        @Override
        public String version() {
            return "1.4.0";
        }

        @Override
        public String requiredApi() {
            return "1.0";
        }

        @Override
        public List<InterfaceDescriptor> descriptors() {
            return List.of(new InterfaceDescriptor("greet", "Greets", 0xabcL, List.of()));
        }

        @Override
        public Module module() {
            return new AbstractModule() {};
        }
    }

    /** Written for a plugin API that does not exist yet. */
    public static final class Future implements FlotillaPlugin {
        @Override
        public String name() {
            return "future";
        }

        @Override
        public String version() {
            return "9.0.0";
        }

        @Override
        public String requiredApi() {
            return "9.x";
        }

        @Override
        public Module module() {
            return new AbstractModule() {};
        }
    }

    @Test
    void theDistributionShipsTheAgreementAndTlbShootdownPlugins() {
        Run r = flotilla("plugins");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("2 plugins (plugin API 1.0), in load order:")
                .contains("agreement 1.0.0", "tlb-shootdown 0.1.0", "tlb_shootdown.if");
    }

    @Test
    void listsThePluginsInLoadOrderWithWhereTheyCameFrom() throws IOException {
        Path cp = services("ok", Listener.class, Greeter.class);
        Run r = flotilla("plugins", "--class-path", cp.toString());

        assertThat(r.status()).as(r.err()).isZero();
        // the two test plugins besides the two the distribution ships
        assertThat(r.out()).contains("4 plugins (plugin API 1.0), in load order:");
        assertThat(r.out().indexOf("greeter 1.4.0")).isLessThan(r.out().indexOf("listener 0.3.1"));
        assertThat(r.out()).contains("requires API:  1.0 (1.x)", "interfaces:    greet (fingerprint 0000000000000abc)",
                "depends on:    greeter 1.1", "class:         " + Greeter.class.getName(), "location:      ");
    }

    @Test
    void aPluginThatCannotLoadIsExitOneWithTheLoadersMessage() throws IOException {
        Path cp = services("bad", Future.class);
        Run r = flotilla("plugins", "-cp", cp.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("cannot be loaded", "plugin 'future'", "needs plugin API 9.x")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingClassPathEntryIsAnInputError() {
        Run r = flotilla("plugins", "-cp", dir.resolve("nope.jar").toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("nope.jar: no such file or directory");
    }
}
