package io.flotilla.kernel;

/**
 * A handler that threw: reported with the core and the dispatcher it ran for. The CPU driver catches it, stops
 * delivering to that dispatcher (as Barrelfish would kill the domain) and goes on serving the others.
 *
 * @param core       the core the handler ran on
 * @param dispatcher the dispatcher's name, or {@code "monitor"} for the core's monitor
 * @param cause      what it threw
 */
public record HandlerFailure(int core, String dispatcher, Throwable cause) {

    @Override
    public String toString() {
        return "core " + core + ", dispatcher '" + dispatcher + "': " + cause;
    }
}
