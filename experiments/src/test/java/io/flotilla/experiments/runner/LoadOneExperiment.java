package io.flotilla.experiments.runner;

/**
 * Loads experiment files one after another in a JVM of its own, for {@link HostileExperimentFilesTest}: prints one
 * line per file, {@code refused|accepted|escaped <milliseconds> <message>}, where {@code escaped} is anything but the
 * loader's own refusal (an out-of-memory error included), so the parent sees how each ended without a stack trace
 * to parse.
 */
public final class LoadOneExperiment {

    private LoadOneExperiment() {}

    public static void main(String[] args) {
        var catalog = new ExperimentCatalog(LoadOneExperiment.class.getClassLoader(),
                new ExperimentLoader(ScenarioCatalog.discover()));
        for (String file : args) {
            long started = System.nanoTime();
            String outcome;
            try {
                catalog.resolve(file);
                outcome = "accepted";
            } catch (ExperimentFormatException e) {
                outcome = "refused " + ((System.nanoTime() - started) / 1_000_000) + " " + e.getMessage();
            } catch (Throwable t) {
                outcome = "escaped " + ((System.nanoTime() - started) / 1_000_000) + " " + t.getClass().getName()
                        + ": " + t.getMessage();
            }
            System.out.println(outcome.replace('\n', '|'));
        }
        System.out.flush();
    }
}
