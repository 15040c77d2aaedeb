package io.flotilla.plugins.agreement;

import io.flotilla.agreement.AgreementMonitors;
import io.flotilla.agreement.Fanout;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.flotilla.binding.InterfaceDescriptor;
import io.flotilla.plugin.FlotillaPlugin;
import io.flotilla.plugin.PluginDependency;
import java.util.List;

/**
 * The agreement plugin: one-phase and two-phase commit among per-core agreement monitors, and cross-core
 * capability operations through them. Its Guice module binds {@link AgreementPlugin.Factory}, from which a boot
 * gets the monitors for its core count.
 */
public final class AgreementPlugin implements FlotillaPlugin {

    /** Makes the agreement monitors of one multikernel. */
    public static final class Factory {
        public AgreementMonitors monitors(int cores, Fanout fanout) {
            return new AgreementMonitors(cores, fanout);
        }

        public AgreementMonitors monitors(int cores) {
            return monitors(cores, Fanout.MULTICAST);
        }
    }

    public AgreementPlugin() {}

    @Override
    public String name() {
        return "agreement";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String requiredApi() {
        return "1.0";
    }

    @Override
    public List<String> interfaces() {
        // The protocol is the kernel's (flotilla-kernel ships it); the plugin speaks it and adds the scenario.
        return List.of("io/flotilla/agreement/agreement.if");
    }

    @Override
    public List<InterfaceDescriptor> descriptors() {
        return List.of(io.flotilla.agreement.protocol.Agreement.DESCRIPTOR);
    }

    @Override
    public List<PluginDependency> dependencies() {
        return List.of();
    }

    @Override
    public Module module() {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Factory.class).toInstance(new Factory());
            }
        };
    }
}
