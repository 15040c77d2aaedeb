package io.flotilla.cli;

import io.flotilla.binding.InterfaceDescriptor;
import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginApi;
import io.flotilla.plugin.PluginDependency;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    @Option(names = {"-cp", "--class-path"}, paramLabel = "PATH", split = "${sys:path.separator}",
            description = "Jars or class directories to look in besides flotilla's own class path, e.g. a plugin"
                    + " jar before installing it (separated by '${sys:path.separator}'; repeatable).")
    private List<Path> classPath = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Path p : classPath) {
            if (!Files.exists(p)) {
                err.println("flotilla plugins: " + p + ": no such file or directory");
                return Flotilla.EXIT_INPUT_ERROR;
            }
        }
        ClassLoader base = Thread.currentThread().getContextClassLoader();
        if (base == null) {
            base = PluginsCommand.class.getClassLoader();
        }
        // The extra entries get their own loader, closed afterwards so the jars are not held open.
        try (URLClassLoader loader = new URLClassLoader(urls(classPath), base)) {
            List<LoadedPlugin> plugins = PluginLoader.discover(loader);
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

    private static URL[] urls(List<Path> paths) throws MalformedURLException {
        var urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = paths.get(i).toUri().toURL();
        }
        return urls;
    }
}
