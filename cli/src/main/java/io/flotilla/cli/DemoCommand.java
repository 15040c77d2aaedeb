package io.flotilla.cli;

import io.flotilla.codegen.GeneratedInterface;
import io.flotilla.codegen.JavaStubGenerator;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.source.SourceFile;
import io.flotilla.examples.pingpong.PingPongExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla demo}: the path a user's interface takes, end to end. It compiles the example interface
 * {@code ping_pong.if}, shows what the generator makes of it, then runs two dispatchers on two threads that
 * exchange its messages through the stubs generated from that same file at build time.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compiles the ping-pong example interface and runs two dispatchers through its stubs.")
final class DemoCommand implements Callable<Integer> {

    private static final String INTERFACE = "/io/flotilla/examples/pingpong/ping_pong.if";

    @Spec
    private CommandSpec spec;

    @Option(names = "--pings", defaultValue = "100000", paramLabel = "N",
            description = "Pings to exchange (default: ${DEFAULT-VALUE}).")
    private int pings;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (pings < 1 || pings > 100_000_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--pings': " + pings + " (must be 1..100000000)");
        }

        SourceFile source = bundledInterface();
        out.println("== 1. the interface (" + "ping_pong.if" + ")");
        out.println(source.text().strip());
        out.println();

        CompileResult result = InterfaceLanguage.compile(source, List.of());
        out.println("== 2. compiled: " + (result.hasErrors() ? "errors" : "no errors"));
        if (!result.diagnostics().isEmpty()) {
            out.println(result.render());
        }
        if (result.hasErrors()) {
            return Flotilla.EXIT_INTERNAL_ERROR;
        }
        Interface iface = result.model().orElseThrow();
        for (Message m : iface.messages()) {
            out.println("   " + m.kind().name().toLowerCase(Locale.ROOT) + " " + m.name() + "("
                    + m.arguments().stream().map(DemoCommand::describe).collect(Collectors.joining(", ")) + ")");
        }
        GeneratedInterface generated = new JavaStubGenerator("io.flotilla.examples.pingpong.generated")
                .generate(iface);
        out.println("   generated: " + generated.files().stream()
                .map(f -> f.typeSpec().name() + ".java (" + f.toString().lines().count() + " lines)")
                .collect(Collectors.joining(", ")));
        out.println();

        out.println("== 3. two dispatchers, two threads, one channel, the generated stubs");
        out.flush();
        var captured = new ByteArrayOutputStream();
        PingPongExample.Result run;
        try (var ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            run = PingPongExample.run(pings, ps);
        }
        out.print(captured.toString(StandardCharsets.UTF_8));
        out.println(run.ok() ? "demo: ok" : "demo: FAILED");
        return run.ok() ? 0 : Flotilla.EXIT_INTERNAL_ERROR;
    }

    /** An argument as it was written: direction, type, name and bounds. */
    private static String describe(Argument a) {
        String direction = a.direction() == Argument.Direction.NONE
                ? ""
                : a.direction().name().toLowerCase(Locale.ROOT) + " ";
        String bounds = "";
        if (a.shape() instanceof Argument.Shape.BoundedString s) {
            bounds = "[" + s.maxBytes() + "]";
        } else if (a.shape() instanceof Argument.Shape.DynamicArray d) {
            bounds = "[" + d.lengthName() + ", " + d.maxCount() + "]";
        }
        return direction + a.type().typeName() + " " + a.name() + bounds;
    }

    private static SourceFile bundledInterface() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(INTERFACE)) {
            if (in == null) {
                throw new IOException("the example interface " + INTERFACE + " is missing from the distribution");
            }
            return SourceFile.decode("ping_pong.if", in.readAllBytes());
        }
    }
}
