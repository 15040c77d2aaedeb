package io.flotilla.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.name.Names;
import io.flotilla.binding.InterfaceDescriptor;
import io.flotilla.boot.KernelModule;
import io.flotilla.boot.MachineModule;
import io.flotilla.boot.PlatformModule;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machines;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader on a plugin built outside this source tree, and on every way a class path of plugins can be wrong. */
class PluginLoaderTest {

    @TempDir
    Path dir;

    private static URLClassLoader loaderFor(Path... entries) throws IOException {
        var urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = entries[i].toUri().toURL();
        }
        return new URLClassLoader(urls, PluginLoaderTest.class.getClassLoader());
    }

    /** A class-path directory holding only a services file that names these (test-tree) classes. */
    private Path servicesFor(String... classNames) throws IOException {
        Path services = dir.resolve("META-INF/services/" + FlotillaPlugin.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, String.join("\n", classNames) + "\n");
        return dir;
    }

    private static PluginException failure(ThrowingLoad load) {
        try {
            load.run();
        } catch (PluginException e) {
            return e;
        }
        throw new AssertionError("expected a PluginException");
    }

    private interface ThrowingLoad {
        void run() throws PluginException;
    }

    @Test
    void loadsAPluginCompiledOutsideTheRepositoryFromItsJar() throws Exception {
        ExternalPluginJar ext = ExternalPluginJar.get();
        try (URLClassLoader cl = loaderFor(ext.jar)) {
            List<LoadedPlugin> plugins = PluginLoader.discover(cl);

            assertThat(plugins).hasSize(1);
            LoadedPlugin echo = plugins.get(0);
            assertThat(echo.name()).isEqualTo("echo");
            assertThat(echo.version()).isEqualTo(new SemVer(1, 2, 0, ""));
            assertThat(echo.requiredApi().text()).isEqualTo("1.0");
            assertThat(echo.className()).isEqualTo("com.example.echo.EchoPlugin");
            assertThat(echo.location()).isEqualTo(ext.jar.toString());
            assertThat(echo.interfaces()).containsExactly(ExternalPluginJar.IF_PATH);
            assertThat(echo.descriptors()).extracting(InterfaceDescriptor::name).containsExactly("echo");
            try (InputStream in = cl.getResourceAsStream(ExternalPluginJar.IF_PATH)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(ExternalPluginJar.INTERFACE);
            }
            // Its module is a real Guice module, installed as any other.
            var injector = Guice.createInjector(PluginLoader.modules(plugins));
            assertThat(injector.getInstance(Key.get(String.class, Names.named("echo.greeting"))))
                    .isEqualTo("echo 1.2.0");
            assertThatThrownBy(() -> plugins.add(echo)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aPluginsModuleInstallsBesideTheBootModules() throws Exception {
        try (URLClassLoader cl = loaderFor(ExternalPluginJar.get().jar)) {
            var modules = new ArrayList<Module>(List.of(new MachineModule(Machines.load("amd-8x4")),
                    PlatformModule.sim(42), new KernelModule()));
            modules.addAll(PluginLoader.modules(PluginLoader.discover(cl)));
            var injector = Guice.createInjector(modules);

            assertThat(injector.getInstance(Key.get(String.class, Names.named("echo.greeting"))))
                    .isEqualTo("echo 1.2.0");
            assertThat(injector.getInstance(Multikernel.Builder.class)).isNotNull();
        }
    }

    @Test
    void ordersPluginsAfterTheirDependenciesAndOtherwiseByName() throws Exception {
        try (URLClassLoader cl = loaderFor(ExternalPluginJar.get().jar)) {
            FlotillaPlugin echo = PluginLoader.discover(cl).get(0).plugin();
            var loud = TestPlugins.Fixed.of("a-loud-echo", "0.1.0", PluginDependency.on("echo", "1.1"));
            var zed = TestPlugins.Fixed.of("zed", "2.0.0");
            var top = TestPlugins.Fixed.of("b-top", "1.0.0", PluginDependency.on("a-loud-echo", "*"),
                    PluginDependency.on("zed", "2.x"));

            List<LoadedPlugin> plugins = PluginLoader.load(List.of(top, zed, loud, echo));

            assertThat(plugins).extracting(LoadedPlugin::name).containsExactly("echo", "a-loud-echo", "zed", "b-top");
            assertThat(PluginLoader.modules(plugins)).hasSize(4);
        }
    }

    @Test
    void noPluginsIsAnEmptyList() throws PluginException {
        assertThat(PluginLoader.discover(PluginLoaderTest.class.getClassLoader())).isEmpty();
    }

    @Test
    void anIncompatibleApiNamesThePluginAndBothVersions() throws IOException {
        try (URLClassLoader cl = loaderFor(servicesFor(TestPlugins.FromTheFuture.class.getName()))) {
            PluginException e = failure(() -> PluginLoader.discover(cl));

            assertThat(e.getMessage()).contains("plugin 'from-the-future'", TestPlugins.FromTheFuture.class.getName(),
                    "needs plugin API 2.x", "this framework provides 1.0");
        }
        PluginException newerMinor = failure(() -> PluginLoader.load(List.of(
                new TestPlugins.Fixed("needs-1.5", "1.0.0", "1.5", List.of(), List.of()))));
        assertThat(newerMinor.getMessage()).contains("plugin 'needs-1.5'", "needs plugin API 1.5.0 or later within 1.x");
    }

    @Test
    void aDuplicateNameNamesBothProviders() {
        PluginException e = failure(() -> PluginLoader.load(List.of(TestPlugins.Fixed.of("dup", "1.0.0"),
                TestPlugins.Fixed.of("dup", "1.1.0"))));

        assertThat(e.problems()).singleElement().asString()
                .contains("plugin name 'dup' is taken 2 times", "1.0.0", "1.1.0", TestPlugins.Fixed.class.getName());
    }

    @Test
    void aMissingOrTooOldDependencyNamesThePluginAndWhatItNeeds() {
        PluginException missing = failure(() -> PluginLoader.load(List.of(
                TestPlugins.Fixed.of("lonely", "1.0.0", PluginDependency.on("ghost", "1.x")))));
        assertThat(missing.getMessage()).contains("plugin 'lonely'", "needs plugin 'ghost' 1.x",
                "not on the class path");

        PluginException tooOld = failure(() -> PluginLoader.load(List.of(TestPlugins.Fixed.of("old", "1.2.9"),
                TestPlugins.Fixed.of("picky", "1.0.0", PluginDependency.on("old", "1.3")))));
        assertThat(tooOld.getMessage()).contains("plugin 'picky'", "needs plugin 'old' 1.3.0 or later within 1.x",
                "the class path has 1.2.9");
    }

    @Test
    void aMissingInterfaceFileNamesThePluginItsJarAndThePath() throws IOException {
        ExternalPluginJar ext = ExternalPluginJar.get();
        try (URLClassLoader cl = loaderFor(ext.jarWithoutInterface)) {
            PluginException e = failure(() -> PluginLoader.discover(cl));

            assertThat(e.problems()).singleElement().asString().contains("plugin 'echo'",
                    ext.jarWithoutInterface.toString(), "interface file '" + ExternalPluginJar.IF_PATH + "'",
                    "not in its jar");
        }
    }

    @Test
    void aProviderThatThrowsIsReportedByClassAndCauseNotAsAStackTrace() throws IOException {
        try (URLClassLoader cl = loaderFor(servicesFor(TestPlugins.Throwing.class.getName()))) {
            PluginException e = failure(() -> PluginLoader.discover(cl));

            assertThat(e.problems()).singleElement().asString().contains(
                    "plugin class " + TestPlugins.Throwing.class.getName(), "could not be created",
                    "IllegalStateException: no licence file");
        }
    }

    @Test
    void aServiceEntryForAMissingClassIsReported() throws IOException {
        try (URLClassLoader cl = loaderFor(servicesFor("com.example.Gone"))) {
            PluginException e = failure(() -> PluginLoader.discover(cl));

            assertThat(e.getMessage()).contains("a plugin service entry could not be loaded", "com.example.Gone");
        }
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        PluginException e = failure(() -> PluginLoader.load(List.of(
                new TestPlugins.Fixed("bad-version", "1.0", "1.x", List.of(), List.of()),
                new TestPlugins.Fixed("bad-api", "1.0.0", "one", List.of(), List.of()),
                TestPlugins.Fixed.of("needs-bad", "1.0.0", PluginDependency.on("bad-version", "1.x")))));

        assertThat(e.problems()).hasSize(3);
        assertThat(e.problems().get(0)).contains("plugin 'bad-version'", "'1.0' is not a semantic version");
        assertThat(e.problems().get(1)).contains("plugin 'bad-api'", "bad required API");
        assertThat(e.problems().get(2)).contains("plugin 'needs-bad'", "failed to load (see above)");
    }

    @Test
    void aDependencyCycleIsReported() {
        PluginException e = failure(() -> PluginLoader.load(List.of(
                TestPlugins.Fixed.of("chicken", "1.0.0", PluginDependency.on("egg", "*")),
                TestPlugins.Fixed.of("egg", "1.0.0", PluginDependency.on("chicken", "*")))));

        assertThat(e.getMessage()).contains("plugins [chicken, egg] depend on each other in a cycle");
    }

    @Test
    void twoWireFormatsUnderOneInterfaceNameAreReported() {
        class Shipping extends TestPlugins.Fixed {
            private final long fingerprint;

            Shipping(String name, long fingerprint) {
                super(name, "1.0.0", "1.x", List.of(), List.of());
                this.fingerprint = fingerprint;
            }

            @Override
            public List<InterfaceDescriptor> descriptors() {
                return List.of(new InterfaceDescriptor("kv", "", fingerprint, List.of()));
            }
        }
        PluginException e = failure(() -> PluginLoader.load(List.of(new Shipping("one", 1), new Shipping("two", 2))));

        assertThat(e.getMessage()).contains("plugins 'one' and 'two' ship interface 'kv' with different wire formats");
    }

    @Test
    void aPluginWhoseOwnMethodsFailIsReportedNotThrown() {
        var broken = new TestPlugins.Fixed("broken", "1.0.0", "1.x", List.of(), List.of()) {
            @Override
            public Module module() {
                throw new NoClassDefFoundError("io/flotilla/Gone");
            }
        };
        PluginException e = failure(() -> PluginLoader.load(List.of(broken)));

        assertThat(e.getMessage()).contains("plugin 'broken'", "failed while describing itself",
                "NoClassDefFoundError: io/flotilla/Gone");
    }
}
