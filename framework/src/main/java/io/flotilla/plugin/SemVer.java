package io.flotilla.plugin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version {@code MAJOR.MINOR.PATCH}, optionally followed by {@code -prerelease} and/or {@code +build}
 * (both kept in {@link #toString()} but ignored when comparing: a plugin's compatibility is decided by its numbers).
 */
public record SemVer(int major, int minor, int patch, String suffix) implements Comparable<SemVer> {

    private static final Pattern FORM = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)([-+].*)?");

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version number");
        }
        suffix = suffix == null ? "" : suffix;
    }

    /** Parses {@code MAJOR.MINOR.PATCH[-pre][+build]}; throws IllegalArgumentException, naming the text, if not. */
    public static SemVer parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a semantic version (MAJOR.MINOR.PATCH)");
        }
        return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4));
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + suffix;
    }
}
