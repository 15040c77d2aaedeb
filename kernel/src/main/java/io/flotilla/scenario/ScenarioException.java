package io.flotilla.scenario;

/** A scenario could not measure its point: a bad parameter, or a run that did not finish. */
public class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
