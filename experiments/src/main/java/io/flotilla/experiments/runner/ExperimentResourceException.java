package io.flotilla.experiments.runner;

/**
 * An experiment stopped because the JVM ran out of a resource at one point: heap ({@link OutOfMemoryError}), stack
 * ({@link StackOverflowError}) or threads. Not a fault of the file, and not one that {@code --keep-going} can step
 * over, since the next point would meet it too; the message names the point and says what to change.
 */
public final class ExperimentResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExperimentResourceException(String message) {
        super(message);
    }

    /** What ran out, with the advice that fits it: a larger heap, stack, or fewer threads. */
    public static String advice(VirtualMachineError e) {
        String what = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof StackOverflowError) {
            return "out of stack; give threads a larger stack, e.g. FLOTILLA_JAVA_OPTS=-Xss8m";
        }
        if (what.contains("native thread")) {
            return "out of threads (" + what + "); raise the limit on processes (ulimit -u) or run fewer cores";
        }
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (" + (what.isEmpty() ? "Java heap space" : what) + ", heap limit " + maxMiB
                + " MiB); give the JVM more heap, e.g. FLOTILLA_JAVA_OPTS=-Xmx" + Math.max(2, 4 * maxMiB >> 10)
                + "g, or sweep fewer cores";
    }
}
