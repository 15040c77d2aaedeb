package io.flotilla.experiments.runner;

import java.io.PrintStream;

/** One line on stderr, redrawn with a carriage return: how many points of a sweep are done, and the current one. */
final class ProgressBar {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final int total;
    private int done;
    private int lastLength;

    ProgressBar(PrintStream out, int total) {
        this.out = out;
        this.total = Math.max(1, total);
    }

    /** Shows {@code what} as the point now running. */
    void show(String what) {
        if (out == null) {
            return;
        }
        int filled = done * WIDTH / total;
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " " + what;
        int pad = Math.max(0, lastLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
    }

    void step() {
        done++;
    }

    /** Clears the line. */
    void finish() {
        if (out == null || lastLength == 0) {
            return;
        }
        out.print("\r" + " ".repeat(lastLength) + "\r");
        out.flush();
    }
}
