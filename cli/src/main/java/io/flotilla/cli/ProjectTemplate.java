package io.flotilla.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project {@code flotilla new} writes: the files listed in {@code templates/KIND/files.index} beside this class,
 * with {@code {{key}}} in their text and {@code __key__} in their paths ({@code __package__} as directories)
 * replaced by the project's names and by the versions the CLI was built with ({@code versions.properties}, filled
 * in from the root pom when the CLI is built,
 * so a generated pom pins the same plugin versions Flotilla builds with).
 */
final class ProjectTemplate {

    private static final Pattern KEY = Pattern.compile("\\{\\{([A-Za-z.]+)}}");
    private static final Pattern PATH_KEY = Pattern.compile("__([A-Za-z]+)__");

    private final String kind;
    private final List<String> files;

    private ProjectTemplate(String kind, List<String> files) {
        this.kind = kind;
        this.files = files;
    }

    static ProjectTemplate of(String kind) {
        String index = resource(kind + "/files.index");
        List<String> files = new ArrayList<>();
        for (String line : index.split("\n")) {
            if (!line.isBlank()) {
                files.add(line.strip());
            }
        }
        return new ProjectTemplate(kind, List.copyOf(files));
    }

    /** The versions the CLI was built with, by the keys the templates use ({@code compiler.plugin.version}, ...). */
    static Map<String, String> versions() {
        var p = new Properties();
        try (InputStream in = ProjectTemplate.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("versions.properties is missing from the flotilla jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var out = new TreeMap<String, String>();
        p.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    /** Writes every file under {@code dir} with {@code values} filled in; returns the paths written, in order. */
    List<Path> writeTo(Path dir, Map<String, String> values) throws IOException {
        List<Path> written = new ArrayList<>();
        // In a path, __package__ is the package's directory.
        Map<String, String> pathValues = new TreeMap<>(values);
        pathValues.put("package", values.get("packagePath"));
        for (String file : files) {
            Path target = dir.resolve(fill(PATH_KEY, file, pathValues, file));
            Files.createDirectories(target.getParent());
            Files.writeString(target, fill(KEY, resource(kind + "/" + file), values, file), StandardCharsets.UTF_8);
            written.add(target);
        }
        return written;
    }

    /** {@code text} with every key replaced; a key without a value is a fault of the template, not of the user. */
    static String fill(Pattern pattern, String text, Map<String, String> values, String where) {
        Matcher m = pattern.matcher(text);
        var sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("template " + where + " uses '" + m.group(1) + "', which has no value");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String resource(String name) {
        try (InputStream in = ProjectTemplate.class.getResourceAsStream("templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("template file templates/" + name
                        + " is missing from the flotilla jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
