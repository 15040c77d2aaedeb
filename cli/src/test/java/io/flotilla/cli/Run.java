package io.flotilla.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line, as the tests see it: exit status and everything printed. */
record Run(int status, String out, String err) {

    static Run flotilla(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Flotilla.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }
}
