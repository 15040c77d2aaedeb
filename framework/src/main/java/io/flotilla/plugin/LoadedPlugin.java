package io.flotilla.plugin;

import com.google.inject.Module;
import io.flotilla.binding.InterfaceDescriptor;
import java.util.List;

/**
 * A plugin that passed the loader's checks, with what it declared read once (so a plugin's methods are called
 * once, inside the loader's error handling) and where it came from.
 *
 * @param location the jar or class directory the plugin class was loaded from, or its class loader's name when the
 *     class has no code source
 */
public record LoadedPlugin(FlotillaPlugin plugin, String name, SemVer version, VersionRequirement requiredApi,
        List<String> interfaces, List<InterfaceDescriptor> descriptors, List<PluginDependency> dependencies,
        Module module, String location) {

    public LoadedPlugin {
        interfaces = List.copyOf(interfaces);
        descriptors = List.copyOf(descriptors);
        dependencies = List.copyOf(dependencies);
    }

    /** The implementing class's name. */
    public String className() {
        return plugin.getClass().getName();
    }

    @Override
    public String toString() {
        return name + " " + version + " (" + location + ")";
    }
}
