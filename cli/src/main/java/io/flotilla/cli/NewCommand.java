package io.flotilla.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla new plugin|app DIR}: a small Maven project to start from, built against flotilla-bom. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {
            "Writes a small Maven project into DIR (which must not exist or be empty): a pom importing flotilla-bom"
                    + " with every Maven plugin version pinned, an interface file, code, a test and a README.",
            "plugin: a protocol plugin with a scenario and an experiment file, for `flotilla experiment run -cp`.",
            "app: a program that boots a simulated machine, for `flotilla run -cp JAR MAIN-CLASS`.",
            "The project builds with `mvn -B verify` (Java 17, Maven 3.8+) once Flotilla's artifacts are in the"
                    + " Maven repository (docs/writing-a-plugin.md)."
        })
final class NewCommand implements Callable<Integer> {

    enum Kind { plugin, app }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "plugin|app", description = "What to start.")
    private Kind kind;

    @Parameters(index = "1", paramLabel = "DIR", description = "Where; its last name is the project's name.")
    private Path dir;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The project's name (default: DIR's last name), e.g. my-barrier.")
    private String name;

    @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = "org.example",
            description = "The Maven group id (default: ${DEFAULT-VALUE}).")
    private String groupId;

    @Option(names = "--package", paramLabel = "PACKAGE", description = "The Java package (default: GROUP.NAME"
            + " without dashes).")
    private String packageName;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path target = dir.toAbsolutePath().normalize();
        String n = name != null ? name : target.getFileName() == null ? "" : target.getFileName().toString();
        String pkg = packageName != null ? packageName : ProjectNames.defaultPackage(n, groupId);
        String problem = ProjectNames.problem(n, groupId, pkg);
        if (problem != null) {
            err.println("flotilla new: " + problem);
            return Flotilla.EXIT_INPUT_ERROR;
        }
        if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
            err.println("flotilla new: " + dir + " exists and is not an empty directory; give a new one");
            return Flotilla.EXIT_INPUT_ERROR;
        }
        var names = new ProjectNames(n, groupId, pkg);
        List<Path> written = ProjectTemplate.of(kind.name()).writeTo(dir, names.values(ProjectTemplate.versions()));
        out.println("wrote a " + kind + " project '" + n + "' (" + written.size() + " files) in " + dir + ":");
        written.forEach(p -> out.println("  " + p));
        out.println("next (Java 17, Maven 3.8+, Flotilla's artifacts installed):");
        out.println("  (cd " + dir + " && mvn -B verify)");
        String jar = dir.resolve("target").resolve(n + "-0.1.0.jar").toString();
        if (kind == Kind.plugin) {
            out.println("  flotilla experiment run -cp " + jar + " " + dir.resolve(n + ".yaml") + " --out out");
        } else {
            out.println("  flotilla run -cp " + jar + " " + pkg + "." + names.camel() + "App");
        }
        return 0;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
