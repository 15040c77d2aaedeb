package io.flotilla.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the command line, as the tests see it: exit status and everything printed. */
record Run(int status, String out, String err) {

    /** With an empty environment, so no FLOTILLA_CLASS_PATH or plugin folder of the machine's leaks in. */
    static Run flotilla(String... args) {
        return flotillaWith(Map.of(), args);
    }

    static Run flotillaWith(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Flotilla.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(status, out.toString(), err.toString());
    }
}
