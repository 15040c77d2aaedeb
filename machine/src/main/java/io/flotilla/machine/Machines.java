package io.flotilla.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The machines Flotilla knows by name: the paper's four ({@code intel-2x4}, {@code amd-2x2}, {@code amd-4x4},
 * {@code amd-8x4}), generated larger ones ({@code mesh-64}, {@code numa-256}, {@code mesh-1024}), all shipped as
 * {@code .topo} resources, and {@code host}, the running machine discovered from {@code /sys}.
 */
public final class Machines {

    /** The shipped machines, in the order {@link #list()} gives them. */
    private static final List<String> SHIPPED =
            List.of("intel-2x4", "amd-2x2", "amd-4x4", "amd-8x4", "mesh-64", "numa-256", "mesh-1024");
    public static final String HOST = "host";

    private static final Map<String, Machine> CACHE = new ConcurrentHashMap<>();

    private Machines() {}

    /** Every name {@link #load(String)} accepts without a path: the shipped machines, then {@code host}. */
    public static List<String> list() {
        List<String> out = new ArrayList<>(SHIPPED);
        out.add(HOST);
        return out;
    }

    /** Whether {@code name} is a shipped machine (not the host). */
    public static boolean isShipped(String name) {
        return SHIPPED.contains(name);
    }

    /** Loads a machine by name or path; warnings are dropped. See {@link #load(String, Consumer)}. */
    public static Machine load(String nameOrPath) {
        return load(nameOrPath, w -> { });
    }

    /**
     * Loads a shipped machine by name (cached: machines are immutable), {@code host}, or a {@code .topo} file.
     *
     * @param warnings receives warnings: what host discovery had to assume, or a topology file's warnings
     * @throws MachineLoadException for an unknown name, an unreadable file or a topology with errors
     */
    public static Machine load(String nameOrPath, Consumer<String> warnings) {
        if (SHIPPED.contains(nameOrPath)) {
            return CACHE.computeIfAbsent(nameOrPath, n -> TopologyLoader.load(n + ".topo", source(n), w -> { }));
        }
        if (HOST.equals(nameOrPath)) {
            HostDiscovery.Discovered host = HostDiscovery.discoverHost();
            host.warnings().forEach(warnings);
            return TopologyLoader.load("host.topo", host.topology(), warnings);
        }
        Path path = Path.of(nameOrPath);
        if (!Files.exists(path) && !nameOrPath.endsWith(".topo")) {
            throw new MachineLoadException("unknown machine '" + nameOrPath + "': not one of " + String.join(", ",
                    list()) + ", and no such file");
        }
        return TopologyLoader.load(path, warnings);
    }

    /** The topology text of a shipped machine. */
    public static String source(String name) {
        if (!SHIPPED.contains(name)) {
            throw new MachineLoadException("unknown machine '" + name + "'");
        }
        try (InputStream in = Machines.class.getResourceAsStream(name + ".topo")) {
            if (in == null) {
                throw new MachineLoadException("machine '" + name + "' is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MachineLoadException("cannot read machine '" + name + "': " + e.getMessage());
        }
    }
}
