package io.flotilla.experiments.runner;

/** An experiment that could not finish: its scenario failed at one point. The message names both. */
public final class ExperimentRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public ExperimentRunException(String message, Throwable cause) {
        super(message, cause);
        this.reason = message;
    }

    /** The scenario's failure {@code reason} at {@code point} (a phrase naming experiment, series, machine, cores). */
    public ExperimentRunException(String point, String reason, Throwable cause) {
        super(point + ": " + reason, cause);
        this.reason = reason;
    }

    /** Why the point failed, without the point's name: what a failed CSV row records. */
    public String reason() {
        return reason;
    }
}
