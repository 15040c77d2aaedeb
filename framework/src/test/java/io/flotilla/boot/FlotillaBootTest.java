package io.flotilla.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.plugin.FlotillaPlugin;
import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-call boot: machine, platform, kernel and plugins in one injector; a plugin's bindings reach the code. */
class FlotillaBootTest {

    private static final Machine AMD = Machines.load("amd-2x2");

    /** A plugin offering one named string, standing in for a protocol object. */
    record Greeter(String api) implements FlotillaPlugin {
        @Override
        public String name() {
            return "greeter";
        }

        @Override
        public String version() {
            return "1.0.0";
        }

        @Override
        public String requiredApi() {
            return api;
        }

        @Override
        public Module module() {
            return new AbstractModule() {
                @Override
                protected void configure() {
                    bindConstant().annotatedWith(Names.named("greeting")).to("hello from a plugin");
                }
            };
        }
    }

    /** Stops the kernel after reading what the plugin offered. */
    static final class Reader extends Dispatcher {
        final String greeting;
        long ranAt = -1;

        Reader(String greeting) {
            this.greeting = greeting;
        }

        @Override
        protected void onStart() {
            after(10, () -> {
                ranAt = now();
                stopKernel();
            });
        }
    }

    @Test
    void pluginsAreInstalledBesideTheKernelAndTheirBindingsReachDispatchers() throws PluginException {
        PluginModule plugins = PluginModule.of(PluginLoader.load(List.of(new Greeter("1.x"))));
        Injector injector = Flotilla.injector(AMD, new SimPlatform(1), plugins);
        String greeting = injector.getInstance(Key.get(String.class, Names.named("greeting")));
        assertThat(greeting).isEqualTo("hello from a plugin");
        assertThat(injector.getInstance(Key.get(new TypeLiteral<List<LoadedPlugin>>() {})))
                .extracting(LoadedPlugin::name).containsExactly("greeter");

        Reader reader = new Reader(greeting);
        Multikernel mk = injector.getInstance(Multikernel.Builder.class).out(null).dispatcher(1, reader).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(reader.ranAt).isEqualTo(10);
    }

    @Test
    void discoveryFromTheClassPathBoots() throws PluginException {
        Multikernel mk = Flotilla.builder(AMD, new SimPlatform(2)).out(null).boot();
        mk.run(Duration.ofMillis(1));
        assertThat(mk.failures()).isEmpty();
    }

    @Test
    void anIncompatiblePluginIsRefusedByName() {
        assertThatThrownBy(() -> PluginLoader.load(List.of(new Greeter("9.x")))).isInstanceOf(PluginException.class)
                .hasMessageContaining("greeter");
    }
}
