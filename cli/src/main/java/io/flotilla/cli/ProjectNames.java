package io.flotilla.cli;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.lang.model.SourceVersion;

/**
 * The names one project name gives a generated project: {@code my-barrier} is the artifact, plugin, scenario and
 * experiment name, {@code my_barrier} the interface (and its {@code .if} file), {@code MyBarrier} the prefix of
 * the Java classes, and {@code GROUP.mybarrier} the package unless one is given.
 */
record ProjectNames(String name, String groupId, String packageName) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    /** What is wrong with these names, in one line, or null. */
    static String problem(String name, String groupId, String packageName) {
        if (!NAME.matcher(name).matches()) {
            return "'" + name + "' cannot name a project: use lower-case letters, digits and single '-' between"
                    + " words, starting with a letter (e.g. my-barrier); give the name with --name";
        }
        if (!GROUP.matcher(groupId).matches()) {
            return "'" + groupId + "' is not a Maven group id (e.g. org.example)";
        }
        if (!SourceVersion.isName(packageName)) {
            return "'" + packageName + "' is not a Java package name (e.g. org.example.mybarrier; no keywords)";
        }
        return null;
    }

    static String defaultPackage(String name, String groupId) {
        return groupId + "." + name.replace("-", "");
    }

    String snake() {
        return name.replace('-', '_');
    }

    String camel() {
        var sb = new StringBuilder();
        for (String part : name.split("-")) {
            sb.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return sb.toString();
    }

    /** Every value the templates use, the build's versions included. */
    Map<String, String> values(Map<String, String> versions) {
        Map<String, String> v = new TreeMap<>(versions);
        v.put("name", name);
        v.put("artifactId", name);
        v.put("groupId", groupId);
        v.put("package", packageName);
        v.put("packagePath", packageName.replace('.', '/'));
        v.put("snake", snake());
        v.put("Camel", camel());
        return v;
    }
}
