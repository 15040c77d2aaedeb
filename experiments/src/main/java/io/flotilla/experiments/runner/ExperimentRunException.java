package io.flotilla.experiments.runner;

/** An experiment that could not finish: its scenario failed at one point. The message names both. */
public final class ExperimentRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExperimentRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
