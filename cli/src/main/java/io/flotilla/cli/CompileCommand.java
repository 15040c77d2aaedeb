package io.flotilla.cli;

import io.flotilla.codegen.GeneratedInterface;
import io.flotilla.codegen.JavaStubGenerator;
import io.flotilla.codegen.machine.MachineClassGenerator;
import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.diag.DiagnosticRenderer;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.topo.TopoResult;
import io.flotilla.dsl.topo.TopologyLanguage;
import io.flotilla.dsl.topo.model.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla compile}: checks interface files and generates Java stubs from them; checks topology files and
 * generates, per machine, a class that builds it without parsing.
 */
@Command(
        name = "compile",
        mixinStandardHelpOptions = true,
        description = {
            "Checks interface (.if) and topology (.topo) files and generates Java from them: stubs for each"
                    + " interface, a machine class for each topology.",
            "Every error in every file is reported as file:line:col; the exit status is 1 if there was any."
        })
final class CompileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--check", description = "Only check the files; generate nothing.")
    private boolean check;

    @Option(names = {"-i", "--include"}, paramLabel = "FILE",
            description = "An include file of shared type declarations (like Flounder's -i). Repeatable.")
    private List<Path> includes = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = ".",
            description = "Root directory of the generated Java sources (default: ${DEFAULT-VALUE}).")
    private Path output;

    @Option(names = {"-p", "--package"}, paramLabel = "NAME", defaultValue = "flotilla.generated",
            description = "Java package of the generated classes (default: ${DEFAULT-VALUE}).")
    private String packageName;

    @Option(names = "--breaking-against", paramLabel = "OLD.if",
            description = "Compare the one interface file given with this older version of it and classify each "
                    + "change as wire-breaking, source-breaking or compatible; generate nothing. Exit status 0: "
                    + "compatible, 3: source-breaking only, 4: wire-breaking.")
    private Path breakingAgainst;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Interface (.if) and topology (.topo) files to compile.")
    private List<Path> files;

    @Override
    public Integer call() {
        if (!SourceVersion.isName(packageName)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--package': '" + packageName + "' is not a Java package name");
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (breakingAgainst != null) {
            if (files.size() != 1) {
                throw new ParameterException(spec.commandLine(),
                        "--breaking-against compares one interface file with its older version; got " + files.size());
            }
            return CompatibilityReport.run(breakingAgainst, files.get(0), includes, out, err);
        }
        var generator = new JavaStubGenerator(packageName);
        boolean failed = false;
        var machines = new MachineClassGenerator(packageName);
        for (Path file : files) {
            if (file.getFileName() != null && file.getFileName().toString().endsWith(".topo")) {
                failed |= !compileTopology(file, machines, out, err);
                continue;
            }
            CompileResult result = InterfaceLanguage.compile(file, includes);
            if (!result.diagnostics().isEmpty()) {
                err.println(result.render());
            }
            if (result.hasErrors()) {
                failed = true;
                continue;
            }
            Interface iface = result.model().orElseThrow();
            if (check) {
                out.println(file + ": ok (" + summary(iface) + ")");
                continue;
            }
            GeneratedInterface generated = generator.generate(iface);
            var renderer = new DiagnosticRenderer(result.sources());
            for (Diagnostic d : generated.diagnostics()) {
                err.println(renderer.render(d));
            }
            try {
                int n = generated.writeTo(output).size();
                out.println(file + ": " + summary(iface) + " -> " + n + " Java files in " + output);
            } catch (IOException e) {
                err.println("flotilla: cannot write to " + output + ": " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
        }
        return failed ? Flotilla.EXIT_INPUT_ERROR : 0;
    }

    /** Checks one topology file and, unless {@code --check}, writes its machine class; false on errors. */
    private boolean compileTopology(Path file, MachineClassGenerator machines, PrintWriter out, PrintWriter err) {
        TopoResult result = TopologyLanguage.compile(file);
        if (!result.diagnostics().isEmpty()) {
            err.println(result.render());
        }
        if (result.hasErrors()) {
            return false;
        }
        Topology machine = result.model().orElseThrow();
        String summary = "machine " + machine.name() + ": " + machine.cores().size() + " cores, "
                + machine.packages().size() + " packages";
        if (check) {
            out.println(file + ": ok (" + summary + ")");
            return true;
        }
        try {
            machines.generate(machine).writeToPath(output);
            out.println(file + ": " + summary + " -> " + MachineClassGenerator.className(machine.name())
                    + ".java in " + output);
            return true;
        } catch (IOException e) {
            err.println("flotilla: cannot write to " + output + ": " + e.getMessage());
            return false;
        }
    }

    private static String summary(Interface iface) {
        long rpcs = iface.messages().stream().filter(m -> m.kind() == Message.Kind.RPC).count();
        long messages = iface.messages().size() - rpcs;
        return "interface " + iface.name() + ": " + messages + " message" + (messages == 1 ? "" : "s") + ", "
                + rpcs + " rpc" + (rpcs == 1 ? "" : "s") + ", " + iface.types().size() + " type"
                + (iface.types().size() == 1 ? "" : "s");
    }
}
