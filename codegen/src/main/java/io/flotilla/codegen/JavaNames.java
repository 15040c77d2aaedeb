package io.flotilla.codegen;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.source.SourcePos;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns interface-language identifiers (Flounder snake_case, possibly with apostrophes) into Java identifiers, and
 * keeps the generated names apart from each other, from Java keywords and from the members the generator adds.
 *
 * <p>Every rename that is more than the usual change of case is reported as a warning at the declaration, so the
 * user can find the Java name of a thing in their file. Renames are deterministic: a keyword or reserved name gets
 * an {@code _} appended, a name that collides with an earlier one gets the smallest numeric suffix from 2 that is
 * free.
 */
final class JavaNames {

    /** Keywords, literals and restricted identifiers (var, yield, record, ...): never used as a generated name. */
    static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
            "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super",
            "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while",
            "true", "false", "null", "_", "var", "yield", "record", "sealed", "permits", "exports", "module",
            "non-sealed", "open", "opens", "provides", "requires", "to", "transitive", "uses", "with");

    /** Methods of {@link Object}: no generated method or record component may take these names. */
    static final Set<String> OBJECT_METHODS = Set.of(
            "clone", "equals", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

    private JavaNames() {}

    /** {@code ping_pong} -> {@code PingPong}; apostrophes become {@code _}. */
    static String upperCamel(String raw) {
        String lower = lowerCamel(raw);
        return lower.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** {@code ping_pong} -> {@code pingPong}, {@code CORE_ID} -> {@code coreId}; apostrophes become {@code _}. */
    static String lowerCamel(String raw) {
        var sb = new StringBuilder();
        for (String part : raw.split("_")) {
            if (part.isEmpty()) {
                continue;
            }
            String p = isAllUpper(part) ? part.toLowerCase(Locale.ROOT) : part;
            if (sb.length() == 0) {
                sb.append(Character.toLowerCase(p.charAt(0))).append(p, 1, p.length());
            } else {
                sb.append(Character.toUpperCase(p.charAt(0))).append(p, 1, p.length());
            }
        }
        if (sb.length() == 0) {
            sb.append(raw); // only underscores and apostrophes
        }
        return sb.toString().replace('\'', '_');
    }

    /** {@code pingPong} -> {@code PING_PONG}. */
    static String upperSnake(String javaName) {
        var sb = new StringBuilder();
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && javaName.charAt(i - 1) != '_') {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }

    private static boolean isAllUpper(String s) {
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLowerCase(c)) {
                return false;
            }
            letter |= Character.isLetter(c);
        }
        return letter && s.length() > 1;
    }

    /**
     * One namespace: hands out unique Java names and records a warning for every rename.
     *
     * <p>Names are compared by a key ({@link #key}) so that names differing only in case or underscores (which the
     * generator turns into one another when it derives constants and helper names) count as the same.
     */
    static final class Scope {
        private final String what;
        private final boolean caseSensitive;
        private final Map<String, String> taken = new HashMap<>();
        private final List<Diagnostic> diagnostics;

        /**
         * @param what what the names are, for warnings ("message", "argument", ...)
         * @param caseSensitive false to treat {@code fooBar}, {@code foo_bar} and {@code FOOBAR} as the same name
         */
        Scope(String what, boolean caseSensitive, List<Diagnostic> diagnostics) {
            this.what = what;
            this.caseSensitive = caseSensitive;
            this.diagnostics = diagnostics;
        }

        private String key(String name) {
            if (caseSensitive) {
                return name;
            }
            // Internal underscores and case do not count (the generator derives UPPER_SNAKE constants and
            // camel-case helper names from these names); trailing underscores, which renames append, do.
            int end = name.length();
            while (end > 0 && name.charAt(end - 1) == '_') {
                end--;
            }
            return name.substring(0, end).replace("_", "").toLowerCase(Locale.ROOT) + name.substring(end);
        }

        /** Reserves a name the generator itself uses; {@code why} completes "'x' is ...". */
        Scope reserve(String name, String why) {
            taken.putIfAbsent(key(name), why);
            return this;
        }

        boolean isTaken(String name) {
            return taken.containsKey(key(name));
        }

        /**
         * Allocates the Java name for a declaration.
         *
         * @param raw the name as written in the interface file
         * @param javaName the derived Java name before hygiene
         * @param derived further names the declaration will occupy, as suffixes appended to the final name (e.g.
         *     "Call", "Response"), or prefixes when they start with a lower-case letter and end with '|' (e.g. "try|")
         */
        String allocate(String raw, String javaName, SourcePos pos, String... derived) {
            String name = javaName;
            String reason = null;
            if (raw.indexOf('\'') >= 0) {
                reason = "apostrophes are not allowed in Java identifiers";
            }
            if (KEYWORDS.contains(name)) {
                reason = "'" + name + "' is a Java keyword";
                name = name + "_";
            } else if (taken.containsKey(key(name)) && !taken.get(key(name)).startsWith("@")) {
                reason = "'" + name + "' is " + taken.get(key(name));
                name = name + "_";
            }
            String base = name;
            int n = 2;
            while (collides(name, derived) != null) {
                String clash = collides(name, derived);
                String owner = taken.get(key(clash));
                reason = "'" + clash + "' is " + (owner.startsWith("@") ? "already used by " + owner.substring(1)
                        : owner);
                name = base + n++;
            }
            String origin = "@" + what + " '" + raw + "'";
            taken.put(key(name), origin);
            for (String d : derived) {
                taken.put(key(derive(name, d)), origin);
            }
            if (reason != null) {
                diagnostics.add(Diagnostic.warning(pos, "renamed '" + raw + "' to '" + name
                        + "' in generated Java: " + reason));
            }
            return name;
        }

        private String collides(String name, String[] derived) {
            if (taken.containsKey(key(name))) {
                return name;
            }
            for (String d : derived) {
                String dn = derive(name, d);
                if (taken.containsKey(key(dn))) {
                    return dn;
                }
            }
            return null;
        }

        static String derive(String name, String d) {
            if (d.endsWith("|")) {
                return d.substring(0, d.length() - 1) + Character.toUpperCase(name.charAt(0)) + name.substring(1);
            }
            return name + d;
        }
    }
}
