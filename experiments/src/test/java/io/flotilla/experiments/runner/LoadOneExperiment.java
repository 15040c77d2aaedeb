package io.flotilla.experiments.runner;


/**
 * Loads one experiment file in a JVM of its own, for {@link HostileExperimentFilesTest}: prints the loader's
 * message and exits 1 when the file is refused, 0 when it is accepted, and 70 with the error's class for anything
 * else (an out-of-memory error included), so the parent sees how it ended without a stack trace to parse.
 */
public final class LoadOneExperiment {

    private LoadOneExperiment() {}

    public static void main(String[] args) {
        int status;
        try {
            new ExperimentCatalog(LoadOneExperiment.class.getClassLoader(),
                    new ExperimentLoader(ScenarioCatalog.discover())).resolve(args[0]);
            System.out.println("accepted");
            status = 0;
        } catch (ExperimentFormatException e) {
            System.out.println(e.getMessage());
            status = 1;
        } catch (Throwable t) {
            System.out.println("escaped: " + t.getClass().getName() + ": " + t.getMessage());
            status = 70;
        }
        System.out.flush();
        Runtime.getRuntime().halt(status);
    }

}
