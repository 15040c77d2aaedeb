package io.flotilla.dsl.diag;

import io.flotilla.dsl.source.SourcePos;

/** One message about one place in a user's input. */
public record Diagnostic(Severity severity, SourcePos pos, String message) {

    public static Diagnostic error(SourcePos pos, String message) {
        return new Diagnostic(Severity.ERROR, pos, message);
    }

    public static Diagnostic warning(SourcePos pos, String message) {
        return new Diagnostic(Severity.WARNING, pos, message);
    }

    public static Diagnostic note(SourcePos pos, String message) {
        return new Diagnostic(Severity.NOTE, pos, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The first line of the rendered form: {@code file:line:col: severity: message}. */
    public String headline() {
        return pos + ": " + severity.label() + ": " + message;
    }
}
