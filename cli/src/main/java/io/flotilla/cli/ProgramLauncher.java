package io.flotilla.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import javax.lang.model.SourceVersion;

/**
 * A program of the user's: a class on the user class path with {@code public static void main(String[])}, run in
 * flotilla's JVM (so it sees the same plugins and transports as every other command). What the program prints goes
 * to the process's standard streams, as with {@code java}.
 */
final class ProgramLauncher {

    private final Class<?> program;
    private final Method main;

    private ProgramLauncher(Class<?> program, Method main) {
        this.program = program;
        this.main = main;
    }

    /** Thrown by {@link #find} for a class that exists but cannot be run; the message is one line. */
    static final class NotAProgram extends Exception {
        NotAProgram(String message) {
            super(message);
        }
    }

    /** The class {@code name} if {@code loader} has it; empty when it does not (or the name is not a class name). */
    static Optional<ProgramLauncher> find(String name, ClassLoader loader) throws NotAProgram {
        if (!SourceVersion.isName(name.replace('$', '_'))) {
            return Optional.empty();
        }
        Class<?> c;
        try {
            c = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return Optional.empty();
        }
        Method m;
        try {
            m = c.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            throw new NotAProgram(name + " has no public static void main(String[])");
        }
        if (!Modifier.isStatic(m.getModifiers()) || m.getReturnType() != void.class) {
            throw new NotAProgram(name + ".main must be public static void main(String[])");
        }
        return Optional.of(new ProgramLauncher(c, m));
    }

    String name() {
        return program.getName();
    }

    /**
     * Runs {@code main(args)}; an exception it throws is handed back as is (with the program's own stack trace),
     * since it is the program's failure, not bad input to flotilla.
     */
    void run(List<String> args) throws Throwable {
        try {
            main.invoke(null, (Object) args.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
