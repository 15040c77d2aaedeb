package io.flotilla.cli;

import io.flotilla.binding.InterfaceDescriptor;
import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginApi;
import io.flotilla.plugin.PluginDependency;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flotilla plugins}: the plugins on the class path, checked by the same loader a boot uses. */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = {"Lists the Flotilla plugins on the class path: name, version, required plugin API, interfaces,"
                + " dependencies and the jar each came from; see docs/writing-a-plugin.md.",
            "Exit status 1, with the loader's message, when a plugin cannot be loaded."})
final class PluginsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** E.g. a plugin jar before installing it; the plugin folders and FLOTILLA_CLASS_PATH are searched too. */
    @Mixin
    private UserClassPath classPath;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<LoadedPlugin> plugins = PluginLoader.discover(Thread.currentThread().getContextClassLoader());
            print(plugins, out);
            return 0;
        } catch (PluginException e) {
            err.println("flotilla plugins: the plugins on the class path cannot be loaded:");
            e.problems().forEach(p -> err.println("  " + p));
            return Flotilla.EXIT_INPUT_ERROR;
        }
    }

    private static void print(List<LoadedPlugin> plugins, PrintWriter out) {
        if (plugins.isEmpty()) {
            out.println("no plugins on the class path (plugin API " + PluginApi.VERSION + ")");
            return;
        }
        out.println(plugins.size() + (plugins.size() == 1 ? " plugin" : " plugins") + " (plugin API "
                + PluginApi.VERSION + "), in load order:");
        for (LoadedPlugin p : plugins) {
            out.println(p.name() + " " + p.version());
            out.println("  requires API:  " + p.requiredApi() + " (" + p.requiredApi().describe() + ")");
            out.println("  interfaces:    " + none(interfaces(p)));
            out.println("  depends on:    " + none(p.dependencies().stream().map(PluginDependency::toString).toList()));
            out.println("  class:         " + p.className());
            out.println("  location:      " + p.location());
        }
    }

    /** The .if files, then the descriptors of generated stubs, as "name (fingerprint ...)". */
    private static List<String> interfaces(LoadedPlugin p) {
        var all = new ArrayList<>(p.interfaces());
        for (InterfaceDescriptor d : p.descriptors()) {
            all.add(String.format("%s (fingerprint %016x)", d.name(), d.fingerprint()));
        }
        return all;
    }

    private static String none(List<String> items) {
        return items.isEmpty() ? "-" : items.stream().collect(Collectors.joining(", "));
    }
}
