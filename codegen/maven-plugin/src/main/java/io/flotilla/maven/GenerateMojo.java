package io.flotilla.maven;

import com.palantir.javapoet.JavaFile;
import io.flotilla.codegen.GeneratedInterface;
import io.flotilla.codegen.JavaStubGenerator;
import io.flotilla.codegen.machine.MachineClassGenerator;
import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.diag.DiagnosticRenderer;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.topo.TopoResult;
import io.flotilla.dsl.topo.TopologyLanguage;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates Java from the interface and topology files of a project: {@code src/main/flotilla/*.if} become stubs,
 * {@code src/main/flotilla/*.topo} become machine classes (a machine built without parsing), all in
 * {@code target/generated-sources/flotilla}, which is added as a compile source root.
 *
 * <p>Generation is skipped when nothing changed: a stamp file beside the output records a digest of every input
 * file, every include and the options; the stubs are regenerated only when that digest differs. (Timestamps alone
 * would miss a changed option or a deleted interface.)
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    private static final String STAMP = ".flotilla-inputs";

    /** Where the {@code .if} and {@code .topo} files are; subdirectories are searched too. */
    @Parameter(defaultValue = "${project.basedir}/src/main/flotilla", required = true)
    private File sourceDirectory;

    /** Where the generated Java goes. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/flotilla", required = true)
    private File outputDirectory;

    /** Include files of shared type declarations, like Flounder's {@code -i FILE}, visible to every interface. */
    @Parameter
    private List<File> includes = new ArrayList<>();

    /** The Java package of the generated classes. */
    @Parameter(defaultValue = "flotilla.generated", required = true)
    private String packageName;

    /** Skips generation entirely. */
    @Parameter(property = "flotilla.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Flotilla generation skipped");
            return;
        }
        Path out = outputDirectory.toPath();
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        List<Path> sources = inputFiles();
        if (sources.isEmpty()) {
            getLog().info("No interface or topology files in " + sourceDirectory);
            return;
        }
        List<Path> includePaths = includes.stream().map(File::toPath).toList();
        String digest = digest(sources, includePaths);
        Path stamp = out.resolve(STAMP);
        if (digest.equals(readStamp(stamp))) {
            getLog().info("Flotilla sources are up to date (" + sources.size() + " input files)");
            return;
        }

        var generator = new JavaStubGenerator(packageName);
        var machines = new MachineClassGenerator(packageName);
        var results = new ArrayList<GeneratedInterface>();
        var machineFiles = new ArrayList<JavaFile>();
        var errors = new StringBuilder();
        for (Path source : sources) {
            if (source.getFileName().toString().endsWith(".topo")) {
                TopoResult topo = TopologyLanguage.compile(source);
                report(topo.diagnostics(), new DiagnosticRenderer(topo.sources()));
                if (topo.hasErrors()) {
                    errors.append(topo.render()).append('\n');
                } else {
                    machineFiles.add(machines.generate(topo.model().orElseThrow()));
                }
                continue;
            }
            CompileResult result = InterfaceLanguage.compile(source, includePaths);
            report(result.diagnostics(), new DiagnosticRenderer(result.sources()));
            if (result.hasErrors()) {
                errors.append(result.render()).append('\n');
                continue;
            }
            GeneratedInterface generated = generator.generate(result.model().orElseThrow());
            report(generated.diagnostics(), new DiagnosticRenderer(result.sources()));
            results.add(generated);
        }
        if (errors.length() > 0) {
            throw new MojoFailureException("Flotilla input files have errors:\n" + errors);
        }
        try {
            deleteGenerated(out);
            int files = 0;
            for (GeneratedInterface g : results) {
                files += g.writeTo(out).size();
            }
            for (JavaFile f : machineFiles) {
                f.writeToPath(out);
                files++;
            }
            Files.writeString(stamp, digest, StandardCharsets.UTF_8);
            getLog().info("Generated " + files + " Java files from " + sources.size() + " input files into " + out);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write generated sources to " + out + ": " + e.getMessage(), e);
        }
    }

    /** Each diagnostic at its own level: a warning in a file that also has errors is still a [WARNING]. */
    private void report(List<Diagnostic> diagnostics, DiagnosticRenderer renderer) {
        for (Diagnostic d : diagnostics) {
            if (d.isError()) {
                getLog().error(renderer.render(d));
            } else {
                getLog().warn(renderer.render(d));
            }
        }
    }

    private List<Path> inputFiles() throws MojoExecutionException {
        Path dir = sourceDirectory.toPath();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> isInput(p.getFileName().toString()) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isInput(String fileName) {
        return fileName.endsWith(".if") || fileName.endsWith(".topo");
    }

    /** A digest over the options and the names and contents of all inputs, in a fixed order. */
    private String digest(List<Path> sources, List<Path> includePaths) throws MojoExecutionException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("package=" + packageName + "\n").getBytes(StandardCharsets.UTF_8));
            updateWithGenerator(sha);
            for (List<Path> group : List.of(includePaths, sources)) {
                for (Path p : group) {
                    sha.update((p.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8));
                    sha.update(Files.isRegularFile(p) ? Files.readAllBytes(p) : new byte[0]);
                    sha.update((byte) 0);
                }
                sha.update((byte) '|');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read interface files: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /**
     * Adds the code generator itself to the digest (the bytes of its jar, or of its class files when it runs from a
     * reactor's target/classes), so a changed generator regenerates even when no input changed. A version string
     * would not do: a snapshot's version stays the same while its code changes.
     */
    private static void updateWithGenerator(MessageDigest sha) throws IOException {
        Path location;
        try {
            location = Path.of(JavaStubGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            sha.update("generator=unknown".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (Files.isRegularFile(location)) {
            sha.update(Files.readAllBytes(location));
            return;
        }
        try (Stream<Path> walk = Files.walk(location)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                sha.update(location.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(p));
            }
        }
    }

    private static String readStamp(Path stamp) {
        try {
            return Files.isRegularFile(stamp) ? Files.readString(stamp, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Removes what an earlier run generated, so a deleted or renamed interface leaves no stale class behind. */
    private static void deleteGenerated(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            Files.createDirectories(out);
            return;
        }
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                if (!p.equals(out)) {
                    Files.delete(p);
                }
            }
        }
    }
}
