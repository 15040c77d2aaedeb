package io.flotilla.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;

/** Plugins written in this test tree, for the loader's negative cases (the positive one is built outside it). */
public final class TestPlugins {

    private TestPlugins() {}

    /** A plugin that declares whatever it is given. */
    public static class Fixed implements FlotillaPlugin {
        private final String name;
        private final String version;
        private final String api;
        private final List<String> interfaces;
        private final List<PluginDependency> dependencies;

        public Fixed(String name, String version, String api, List<String> interfaces,
                List<PluginDependency> dependencies) {
            this.name = name;
            this.version = version;
            this.api = api;
            this.interfaces = interfaces;
            this.dependencies = dependencies;
        }

        static Fixed of(String name, String version, PluginDependency... deps) {
            return new Fixed(name, version, "1.x", List.of(), List.of(deps));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public String requiredApi() {
            return api;
        }

        @Override
        public List<String> interfaces() {
            return interfaces;
        }

        @Override
        public List<PluginDependency> dependencies() {
            return dependencies;
        }

        @Override
        public Module module() {
            return new AbstractModule() {};
        }
    }

    /** Its constructor fails, as a provider's might when something it needs at start-up is missing. */
    public static final class Throwing extends Fixed {
        public Throwing() {
            super("throwing", "1.0.0", "1.x", List.of(), List.of());
            throw new IllegalStateException("no licence file");
        }
    }

    /** Written for a plugin API this framework does not have yet. */
    public static final class FromTheFuture extends Fixed {
        public FromTheFuture() {
            super("from-the-future", "3.1.4", "2.x", List.of(), List.of());
        }
    }
}
