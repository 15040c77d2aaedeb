package io.flotilla.plugin;

/**
 * The version of the plugin API this framework provides. A plugin declares the version it was written against in
 * {@link FlotillaPlugin#requiredApi()}, and loads only if it is compatible by {@link VersionRequirement}'s rule:
 * <b>same major, and this framework's minor at least the required one</b> ({@code "1.x"} and {@code "1.0"} both load
 * on 1.0, 1.1, ...; {@code "1.2"} needs 1.2 or later; nothing written for 1.* loads on 2.0).
 *
 * <p>The minor goes up when this package (or the framework API plugins use) gains something; the major when
 * anything a plugin may already use changes or goes away.
 */
public final class PluginApi {

    /** The plugin API version of this framework, {@code MAJOR.MINOR}. */
    public static final String VERSION = "1.0";

    /** {@link #VERSION} as a {@link SemVer} (patch 0). */
    public static final SemVer SEMVER = SemVer.parse(VERSION + ".0");

    private PluginApi() {}

    /** Whether a plugin asking for {@code required} (e.g. "1.x", "1.0") can run on this framework. */
    public static boolean satisfies(VersionRequirement required) {
        return required.admits(SEMVER);
    }
}
