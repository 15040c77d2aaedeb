package io.flotilla.plugin;

/**
 * Another plugin a plugin needs: its name and the versions that will do ({@link VersionRequirement}: same major,
 * at least the given minor; {@code "*"} for any). The loader puts the dependency before the plugin that needs it.
 */
public record PluginDependency(String name, String version) {

    /** Needs the plugin {@code name} at a version {@code version} admits, e.g. {@code on("agreement", "1.2")}. */
    public static PluginDependency on(String name, String version) {
        return new PluginDependency(name, version);
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
