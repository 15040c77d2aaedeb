package io.flotilla.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Where user code comes from, in search order: the command's {@code --class-path} entries, then
 * {@code $FLOTILLA_CLASS_PATH}, then every jar in {@code $FLOTILLA_HOME/plugins} and in
 * {@code $HOME/.flotilla/plugins} (name order, so the order does not depend on the file system). An entry given
 * explicitly must exist and be a class directory or a jar; a plugin folder that does not exist is simply not
 * searched. An entry found twice is searched once, where it first appears.
 */
final class UserCodePath {

    static final String ENV = "FLOTILLA_CLASS_PATH";
    static final String HOME_ENV = "FLOTILLA_HOME";

    private UserCodePath() {}

    /** A class-path entry that is not usable; the message is one line naming the entry and where it came from. */
    static final class BadEntry extends Exception {
        BadEntry(String message) {
            super(message);
        }
    }

    /** The plugin folders, in search order: the installation's, then the user's. */
    static List<Path> pluginFolders(Map<String, String> env) {
        List<Path> folders = new ArrayList<>();
        String home = env.get(HOME_ENV);
        if (home != null && !home.isBlank()) {
            folders.add(Path.of(home, "plugins"));
        }
        String user = env.get("HOME");
        if (user != null && !user.isBlank()) {
            folders.add(Path.of(user, ".flotilla", "plugins"));
        }
        return folders;
    }

    /** Every entry to search, checked, in search order. */
    static List<Path> resolve(List<String> options, Map<String, String> env) throws BadEntry {
        Set<Path> out = new LinkedHashSet<>();
        for (String e : options) {
            add(e, "--class-path", out);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null) {
            for (String e : fromEnv.split(File.pathSeparator, -1)) {
                add(e, ENV, out);
            }
        }
        for (Path folder : pluginFolders(env)) {
            if (Files.isDirectory(folder)) {
                for (Path jar : jarsIn(folder, "plugin folder")) {
                    out.add(checked(jar, "plugin folder " + folder));
                }
            }
        }
        return List.copyOf(out);
    }

    private static void add(String entry, String source, Set<Path> out) throws BadEntry {
        if (entry.isBlank()) {
            return; // "a::b" or a trailing separator: nothing there, as for java -cp
        }
        Path path;
        boolean wildcard = entry.equals("*") || entry.endsWith(File.separator + "*");
        try {
            path = Path.of(wildcard ? entry.substring(0, entry.length() - 1) + "." : entry);
        } catch (InvalidPathException e) {
            throw new BadEntry(source + ": '" + entry + "' is not a path: " + e.getReason());
        }
        if (wildcard) {
            if (!Files.isDirectory(path)) {
                throw new BadEntry(source + ": " + entry + ": " + path.normalize() + " is not a directory");
            }
            for (Path jar : jarsIn(path, source)) {
                out.add(checked(jar, source));
            }
        } else {
            out.add(checked(path, source));
        }
    }

    /** The jars directly inside {@code folder}, by name. */
    private static List<Path> jarsIn(Path folder, String source) throws BadEntry {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.jar")) {
            ds.forEach(jars::add);
        } catch (IOException e) {
            throw new BadEntry(source + ": " + folder + ": cannot list: " + e.getMessage());
        }
        jars.sort(null);
        return jars;
    }

    private static Path checked(Path path, String source) throws BadEntry {
        if (!Files.exists(path)) {
            throw new BadEntry(source + ": " + path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            return path.toAbsolutePath().normalize();
        }
        if (!Files.isReadable(path)) {
            throw new BadEntry(source + ": " + path + ": cannot be read");
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            return path.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new BadEntry(source + ": " + path + ": not a jar or a class directory (" + e.getMessage() + ")");
        }
    }
}
