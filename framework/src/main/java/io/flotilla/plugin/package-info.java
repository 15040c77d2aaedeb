/**
 * The plugin SPI: a plugin is a jar with a {@link io.flotilla.plugin.FlotillaPlugin} service entry, its {@code .if}
 * files as resources and a Guice module; {@link io.flotilla.plugin.PluginLoader} finds, checks and orders the plugins
 * on a class path. Versions follow {@link io.flotilla.plugin.VersionRequirement}'s rule (same major, at least the
 * required minor) against {@link io.flotilla.plugin.PluginApi#VERSION}.
 */
package io.flotilla.plugin;
