package io.flotilla.plugins.tlb;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import io.flotilla.binding.InterfaceDescriptor;
import io.flotilla.plugin.FlotillaPlugin;
import io.flotilla.plugin.PluginDependency;
import io.flotilla.plugins.tlb.generated.TlbShootdown;
import io.flotilla.plugins.tlb.generated.Unmap;
import java.util.List;

/**
 * The {@code tlb-shootdown} plugin: the shootdown agents and their five variants, the unmap operation on top, and
 * the scenarios of the paper's Figures 6 and 7. Its Guice module binds {@link TlbShootdownService}, which builds
 * shootdown groups with a variant chosen by name or by the SKB.
 */
public final class TlbShootdownPlugin implements FlotillaPlugin {

    public static final String VERSION = "0.1.0";

    public TlbShootdownPlugin() {}

    @Override
    public String name() {
        return "tlb-shootdown";
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String requiredApi() {
        return "1.0";
    }

    @Override
    public List<String> interfaces() {
        return List.of("io/flotilla/plugins/tlb/tlb_shootdown.if", "io/flotilla/plugins/tlb/unmap.if");
    }

    @Override
    public List<InterfaceDescriptor> descriptors() {
        return List.of(TlbShootdown.DESCRIPTOR, Unmap.DESCRIPTOR);
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
                bind(TlbShootdownService.class);
            }
        };
    }
}
