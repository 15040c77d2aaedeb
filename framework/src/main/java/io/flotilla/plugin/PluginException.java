package io.flotilla.plugin;

import java.util.List;

/**
 * Plugins on the class path could not be loaded. The message is written for the user and names each plugin (and
 * its jar or class, where known) with its problem, one per line; a caller prints it rather than a stack trace.
 */
public final class PluginException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PluginException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one sentence each, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
