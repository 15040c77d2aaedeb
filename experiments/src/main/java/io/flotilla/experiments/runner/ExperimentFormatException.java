package io.flotilla.experiments.runner;

/**
 * An experiment file that cannot be run, with a message of the form {@code file:line:col: field 'x': problem}
 * (or {@code file: problem} where no position applies), ready to show to the user as it is.
 */
public final class ExperimentFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExperimentFormatException(String message) {
        super(message);
    }

    /** A problem with {@code field} at {@code at} in {@code file}. */
    static ExperimentFormatException at(String file, YamlNode.Mark at, String field, String problem) {
        return new ExperimentFormatException(file + ":" + at.line() + ":" + at.column() + ": field '" + field + "': "
                + problem);
    }
}
