package io.flotilla.plugin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a plugin asks of a version, with one rule for the plugin API and for other plugins alike: <b>the same major
 * version, and at least the given minor (and patch)</b>. Semantic versioning promises that a minor release only adds,
 * so anything newer within the major still has what the plugin was built against; a new major may break it.
 *
 * <p>Written as {@code "1.x"} (any 1.*), {@code "1.2"} (1.2 or later within 1), {@code "1.2.3"} (1.2.3 or later within
 * 1), or {@code "*"} (any version; only sensible for a dependency).
 */
public record VersionRequirement(String text, int major, int minMinor, int minPatch) {

    private static final Pattern FORM = Pattern.compile("(0|[1-9]\\d*)\\.(?:(x)|(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?)");
    private static final int ANY = -1;

    /** Parses a requirement; throws IllegalArgumentException, naming the text and the accepted forms, if not one. */
    public static VersionRequirement parse(String text) {
        if (text != null && text.strip().equals("*")) {
            return new VersionRequirement("*", ANY, 0, 0);
        }
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version requirement (MAJOR.x, MAJOR.MINOR,"
                    + " MAJOR.MINOR.PATCH or *)");
        }
        int major = Integer.parseInt(m.group(1));
        if (m.group(2) != null) {
            return new VersionRequirement(text.strip(), major, 0, 0);
        }
        return new VersionRequirement(text.strip(), major, Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
    }

    /** Whether {@code v} satisfies this requirement: same major, and not older than the minimum. */
    public boolean admits(SemVer v) {
        if (major == ANY) {
            return true;
        }
        return v.major() == major && v.compareTo(new SemVer(major, minMinor, minPatch, "")) >= 0;
    }

    /** In words, for messages: "1.2.0 or later within 1.x". */
    public String describe() {
        if (major == ANY) {
            return "any version";
        }
        return minMinor == 0 && minPatch == 0 ? major + ".x"
                : major + "." + minMinor + "." + minPatch + " or later within " + major + ".x";
    }

    @Override
    public String toString() {
        return text;
    }
}
