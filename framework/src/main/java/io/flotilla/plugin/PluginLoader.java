package io.flotilla.plugin;

import com.google.inject.Module;
import io.flotilla.binding.InterfaceDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the {@link FlotillaPlugin}s on a class path and checks them before anything runs: each can be created, has
 * a name and a semantic version, needs a plugin API this framework provides, ships the {@code .if} files it lists,
 * and finds the plugins it depends on at admitted versions; no name is taken twice and no interface name is shipped
 * with two wire formats. Every problem found is reported, together, in one {@link PluginException} whose lines each
 * name the plugin (and its jar or class); nothing half-checked is returned.
 *
 * <p>The result is in dependency order (a plugin after those it needs; otherwise by name, so the order does not depend
 * on the class path's), which is the order to install the {@link #modules(List) modules} in.
 */
public final class PluginLoader {

    /** Stops a class path whose service entries all fail from being walked forever. */
    private static final int MAX_PROVIDER_ERRORS = 100;

    private PluginLoader() {}

    /** The plugins named in {@code META-INF/services/io.flotilla.plugin.FlotillaPlugin} files visible to {@code loader}. */
    public static List<LoadedPlugin> discover(ClassLoader loader) throws PluginException {
        var problems = new ArrayList<String>();
        var found = new ArrayList<Found>();
        Iterator<ServiceLoader.Provider<FlotillaPlugin>> it =
                ServiceLoader.load(FlotillaPlugin.class, loader).stream().iterator();
        int errors = 0;
        while (errors < MAX_PROVIDER_ERRORS) {
            ServiceLoader.Provider<FlotillaPlugin> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                // A services file names a class that is missing, not a FlotillaPlugin, or not loadable.
                problems.add("a plugin service entry could not be loaded: " + e.getMessage() + causeOf(e));
                errors++;
                continue;
            }
            String where = locationOf(provider.type());
            try {
                found.add(new Found(provider.get(), where));
            } catch (ServiceConfigurationError e) {
                problems.add("plugin class " + provider.type().getName() + " (" + where
                        + ") could not be created" + causeOf(e));
                errors++;
            }
        }
        return check(found, problems);
    }

    /** Checks and orders plugins created by the caller (embedding without a services file; tests). */
    public static List<LoadedPlugin> load(List<? extends FlotillaPlugin> plugins) throws PluginException {
        var found = new ArrayList<Found>();
        for (FlotillaPlugin p : plugins) {
            found.add(new Found(p, locationOf(p.getClass())));
        }
        return check(found, new ArrayList<>());
    }

    /** The plugins' Guice modules, in the plugins' order, to pass to {@code Guice.createInjector} with the boot modules. */
    public static List<Module> modules(List<LoadedPlugin> plugins) {
        return plugins.stream().map(LoadedPlugin::module).toList();
    }

    private record Found(FlotillaPlugin plugin, String location) {}

    private static List<LoadedPlugin> check(List<Found> found, List<String> problems) throws PluginException {
        var loaded = new ArrayList<LoadedPlugin>();
        Set<String> failed = new HashSet<>();
        for (Found f : found) {
            LoadedPlugin p = describe(f, problems, failed);
            if (p != null) {
                loaded.add(p);
            }
        }
        Map<String, LoadedPlugin> byName = unique(loaded, problems, failed);
        checkInterfaces(byName.values(), problems);
        checkDependencies(byName.values(), byName, failed, problems);
        List<LoadedPlugin> ordered = problems.isEmpty() ? order(byName, problems) : List.of();
        if (!problems.isEmpty()) {
            throw new PluginException(problems);
        }
        return ordered;
    }

    /** Reads what the plugin declares, once, catching a plugin whose own methods fail. Null if it has problems. */
    private static LoadedPlugin describe(Found f, List<String> problems, Set<String> failed) {
        FlotillaPlugin plugin = f.plugin();
        String label = "plugin class " + plugin.getClass().getName() + " (" + f.location() + ")";
        String name = null;
        int before = problems.size();
        try {
            name = plugin.name();
            if (name == null || name.isBlank()) {
                problems.add(label + " has no name");
                return null;
            }
            label = "plugin '" + name + "' (" + plugin.getClass().getName() + " in " + f.location() + ")";
            SemVer version = parse(() -> SemVer.parse(plugin.version()), label, "version", problems);
            VersionRequirement api = parse(() -> VersionRequirement.parse(plugin.requiredApi()), label,
                    "required API", problems);
            if (api != null && !PluginApi.satisfies(api)) {
                problems.add(label + " needs plugin API " + api.describe() + ", but this framework provides "
                        + PluginApi.VERSION + " (an API is compatible when its major is the same and its minor at"
                        + " least the one required)");
            }
            List<String> interfaces = List.copyOf(plugin.interfaces());
            ClassLoader cl = plugin.getClass().getClassLoader();
            for (String path : interfaces) {
                String resource = path.startsWith("/") ? path.substring(1) : path;
                if (cl == null || cl.getResource(resource) == null) {
                    problems.add(label + " lists interface file '" + path + "', which is not in its jar"
                            + " or on the class path");
                }
            }
            List<InterfaceDescriptor> descriptors = List.copyOf(plugin.descriptors());
            List<PluginDependency> dependencies = List.copyOf(plugin.dependencies());
            Module module = plugin.module();
            if (module == null) {
                problems.add(label + " has no Guice module (module() returned null)");
            }
            if (problems.size() > before) {
                failed.add(name);
                return null;
            }
            return new LoadedPlugin(plugin, name, version, api, interfaces, descriptors, dependencies, module,
                    f.location());
        } catch (RuntimeException | LinkageError e) {
            // The plugin's own code failed (or was compiled against another framework): say so, not a stack trace.
            problems.add(label + " failed while describing itself: " + e);
            if (name != null) {
                failed.add(name);
            }
            return null;
        }
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Parse<T> parse, String label, String what, List<String> problems) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            problems.add(label + " has a bad " + what + ": " + e.getMessage());
            return null;
        }
    }

    private static Map<String, LoadedPlugin> unique(List<LoadedPlugin> loaded, List<String> problems,
            Set<String> failed) {
        Map<String, List<LoadedPlugin>> byName = new LinkedHashMap<>();
        for (LoadedPlugin p : loaded) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
        }
        Map<String, LoadedPlugin> unique = new TreeMap<>();
        for (var e : byName.entrySet()) {
            if (e.getValue().size() == 1) {
                unique.put(e.getKey(), e.getValue().get(0));
                continue;
            }
            var sb = new StringBuilder("plugin name '").append(e.getKey()).append("' is taken ")
                    .append(e.getValue().size()).append(" times:");
            for (LoadedPlugin p : e.getValue()) {
                sb.append(" ").append(p.className()).append(" ").append(p.version()).append(" in ")
                        .append(p.location()).append(';');
            }
            sb.setLength(sb.length() - 1);
            problems.add(sb.append(" (remove all but one from the class path)").toString());
            failed.add(e.getKey());
        }
        return unique;
    }

    /** One interface name, one wire format: two plugins may share an interface only with equal fingerprints. */
    private static void checkInterfaces(Iterable<LoadedPlugin> plugins, List<String> problems) {
        Map<String, LoadedPlugin> owner = new HashMap<>();
        Map<String, InterfaceDescriptor> first = new HashMap<>();
        for (LoadedPlugin p : plugins) {
            for (InterfaceDescriptor d : p.descriptors()) {
                InterfaceDescriptor seen = first.putIfAbsent(d.name(), d);
                owner.putIfAbsent(d.name(), p);
                if (seen != null && seen.fingerprint() != d.fingerprint()) {
                    problems.add(String.format("plugins '%s' and '%s' ship interface '%s' with different wire"
                            + " formats (fingerprints %016x and %016x)", owner.get(d.name()).name(), p.name(),
                            d.name(), seen.fingerprint(), d.fingerprint()));
                }
            }
        }
    }

    private static void checkDependencies(Iterable<LoadedPlugin> plugins, Map<String, LoadedPlugin> byName,
            Set<String> failed, List<String> problems) {
        for (LoadedPlugin p : plugins) {
            String label = "plugin '" + p.name() + "' (" + p.location() + ")";
            for (PluginDependency d : p.dependencies()) {
                VersionRequirement want = parse(() -> VersionRequirement.parse(d.version()), label,
                        "version for dependency '" + d.name() + "'", problems);
                if (want == null) {
                    continue;
                }
                LoadedPlugin dep = byName.get(d.name());
                if (dep == null) {
                    problems.add(label + " needs plugin '" + d.name() + "' " + want.describe() + ", which "
                            + (failed.contains(d.name()) ? "failed to load (see above)" : "is not on the class path"));
                } else if (!want.admits(dep.version())) {
                    problems.add(label + " needs plugin '" + d.name() + "' " + want.describe() + ", but the class"
                            + " path has " + dep.version() + " (" + dep.location() + ")");
                }
            }
        }
    }

    /** Kahn's algorithm; among plugins ready at once, by name, so the order is the same on every class path. */
    private static List<LoadedPlugin> order(Map<String, LoadedPlugin> byName, List<String> problems) {
        Map<String, Set<String>> needs = new TreeMap<>();
        for (LoadedPlugin p : byName.values()) {
            Set<String> n = new TreeSet<>();
            p.dependencies().forEach(d -> n.add(d.name()));
            n.remove(p.name());
            needs.put(p.name(), n);
        }
        var ordered = new ArrayList<LoadedPlugin>();
        var done = new HashSet<String>();
        while (ordered.size() < byName.size()) {
            String next = null;
            for (var e : needs.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
                    next = e.getKey();
                    break;
                }
            }
            if (next == null) {
                var stuck = new TreeSet<>(needs.keySet());
                stuck.removeAll(done);
                problems.add("plugins " + stuck + " depend on each other in a cycle, so none can load first");
                return List.of();
            }
            done.add(next);
            ordered.add(byName.get(next));
        }
        return List.copyOf(ordered);
    }

    /** The jar or directory a class came from, as a path where it is a file; for messages and {@code flotilla plugins}. */
    static String locationOf(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            ClassLoader cl = type.getClassLoader();
            return cl == null ? "the boot class path" : "class loader " + cl;
        }
        try {
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return cs.getLocation().toString();
        }
    }

    /** ": ExceptionClass: message" of the deepest cause: the constructor's own failure, not the loader's wrapping. */
    private static String causeOf(Throwable e) {
        Throwable c = e.getCause();
        if (c == null) {
            return "";
        }
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return ": " + c;
    }
}
