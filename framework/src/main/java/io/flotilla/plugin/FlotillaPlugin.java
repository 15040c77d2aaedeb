package io.flotilla.plugin;

import com.google.inject.Module;
import io.flotilla.binding.InterfaceDescriptor;
import java.util.List;

/**
 * A Flotilla plugin: a reusable protocol shipped as an ordinary jar. The jar names its implementation in
 * {@code META-INF/services/io.flotilla.plugin.FlotillaPlugin}; {@link PluginLoader} finds it with
 * {@link java.util.ServiceLoader}, so the implementation needs a public no-argument constructor, and that
 * constructor should do nothing that can fail: the work belongs in {@link #module()}'s bindings.
 *
 * <p>See {@code docs/writing-a-plugin.md}.
 */
public interface FlotillaPlugin {

    /** A unique name, e.g. {@code "tlb-shootdown"}; other plugins name it in their {@link #dependencies()}. */
    String name();

    /** This plugin's own semantic version, {@code MAJOR.MINOR.PATCH} (see {@link SemVer}). */
    String version();

    /**
     * The plugin API version it was written against, as a {@link VersionRequirement}: {@code "1.x"} or
     * {@code "1.0"} for anything in 1.*, {@code "1.2"} if it uses something added in 1.2. Checked against
     * {@link PluginApi#VERSION}.
     */
    String requiredApi();

    /**
     * The {@code .if} files it speaks, as class-path resource paths inside its jar (e.g.
     * {@code "com/example/echo/echo.if"}), so that tools can show and recompile them. Each must be present.
     */
    default List<String> interfaces() {
        return List.of();
    }

    /**
     * The descriptors of the stubs generated from those files ({@code Echo.DESCRIPTOR}), so the loader can tell when
     * two plugins ship different wire formats under one interface name.
     */
    default List<InterfaceDescriptor> descriptors() {
        return List.of();
    }

    /** The other plugins it needs; each must be on the class path at an admitted version. */
    default List<PluginDependency> dependencies() {
        return List.of();
    }

    /**
     * The Guice module that binds what it offers (dispatcher factories, protocol objects), installed beside
     * {@code MachineModule}, {@code PlatformModule} and {@code KernelModule}.
     */
    Module module();
}
