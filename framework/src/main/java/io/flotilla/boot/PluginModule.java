package io.flotilla.boot;

import com.google.inject.AbstractModule;
import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import java.util.List;

/**
 * Installs plugins' Guice modules beside the boot modules and binds the checked list of plugins, so a multikernel
 * boots with every protocol plugin found on the class path (or the ones given). Loading is checked first (API
 * version, duplicate names, dependencies, interface fingerprints) and fails with a {@link PluginException} naming
 * each plugin and its problem; nothing is installed then.
 */
public final class PluginModule extends AbstractModule {

    /** The checked plugins, in dependency order; bound as {@code List<LoadedPlugin>}. */
    private final List<LoadedPlugin> plugins;

    private PluginModule(List<LoadedPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    /** Every plugin named in a {@code META-INF/services} entry visible to {@code loader}. */
    public static PluginModule discover(ClassLoader loader) throws PluginException {
        return new PluginModule(PluginLoader.discover(loader));
    }

    /** Exactly these plugins, checked as discovered ones are. */
    public static PluginModule of(List<LoadedPlugin> plugins) {
        return new PluginModule(plugins);
    }

    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    @Override
    protected void configure() {
        bind(new com.google.inject.TypeLiteral<List<LoadedPlugin>>() {}).toInstance(plugins);
        for (var m : PluginLoader.modules(plugins)) {
            install(m);
        }
    }
}
