package io.flotilla.dsl.diag;

/** How bad a diagnostic is. Only {@link #ERROR} stops compilation. */
public enum Severity {
    ERROR("error"),
    WARNING("warning"),
    NOTE("note");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    /** The word printed after the position, as compilers print it: {@code file:1:2: error: ...}. */
    public String label() {
        return label;
    }
}
