package io.flotilla.experiments.runner;

import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import io.flotilla.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What produced a run, for {@code run.properties}: Flotilla's version and the git commit it was built from (a
 * resource the build writes), every plugin on the class path with its version, the jar it came from and that jar's
 * SHA-256, the jar of the experiment's scenario, the JVM, and the host. Enough to tell two result directories made by
 * different code apart, and to rebuild the one that made them. Fingerprints are computed once per jar per JVM.
 */
final class Provenance {

    private static final String BUILD = "io/flotilla/experiments/build.properties";
    private static final String COMMIT = "io/flotilla/experiments/commit.txt";
    private static final Map<Path, String> FINGERPRINTS = new HashMap<>();

    private Provenance() {}

    /** The keys and values to record for a run of {@code scenario}, with plugins as {@code loader} sees them. */
    static Map<String, String> keys(Scenario scenario, ClassLoader loader) {
        Map<String, String> out = new TreeMap<>();
        Properties build = build();
        out.put("flotilla.version", build.getProperty("version", "unknown"));
        out.put("flotilla.commit", commit());
        try {
            for (LoadedPlugin p : PluginLoader.discover(loader)) {
                out.put("plugin." + p.name(), p.version() + " " + located(p.location()));
            }
        } catch (PluginException e) {
            out.put("plugin.problem", String.join("; ", e.problems()));
        }
        out.put("scenario.jar", located(codeSource(scenario.getClass())));
        out.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + ")");
        out.put("host", host() + " (" + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs)");
        return out;
    }

    private static Properties build() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream(BUILD)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            p.setProperty("version", "unknown (" + BUILD + ": " + e.getMessage() + ")");
        }
        return p;
    }

    /** The commit the build recorded ({@code HASH} or {@code HASH-dirty}), in words. */
    private static String commit() {
        String text;
        try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream(COMMIT)) {
            text = in == null ? "" : new String(in.readNBytes(256), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "unknown (" + COMMIT + ": " + e.getMessage() + ")";
        }
        if (!text.matches("[0-9a-f]{40}(-dirty)?")) {
            return "unknown (built outside a git checkout)";
        }
        return text.endsWith("-dirty") ? text.substring(0, 40) + " with uncommitted changes" : text;
    }

    private static String codeSource(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            return "unknown";
        }
        try {
            return Path.of(cs.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return cs.getLocation().toString();
        }
    }

    /** {@code location} with the SHA-256 of the jar there; a class directory has none. */
    static String located(String location) {
        Path p;
        try {
            p = Path.of(location);
        } catch (IllegalArgumentException e) {
            return location;
        }
        if (!Files.isRegularFile(p)) {
            return location + (Files.isDirectory(p) ? " (class directory, no fingerprint)" : "");
        }
        synchronized (FINGERPRINTS) {
            return location + " sha256:" + FINGERPRINTS.computeIfAbsent(p.toAbsolutePath(), Provenance::sha256);
        }
    }

    private static String sha256(Path jar) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(jar), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The host's name, from the kernel where Linux offers it (no DNS lookup, which can hang), else the JVM's. */
    private static String host() {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        try {
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).strip();
            }
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
