package io.flotilla.maven;

import io.flotilla.codegen.CompatibilityCheck;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.iface.model.Interface;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Goal {@code check-compatibility}: compares every interface file of a baseline (the released versions, say) with
 * the file of the same relative path in the sources, classifies each change as wire-breaking, source-breaking or
 * compatible (as {@code flotilla compile --breaking-against} does), logs each with its {@code file:line:col}, and
 * fails the build when a change is at least as bad as {@link #failOn}. An interface missing from the sources is
 * wire-breaking; a new one is compatible.
 */
@Mojo(name = "check-compatibility", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public final class CompatibilityMojo extends AbstractMojo {

    /** The interface files as they are now. */
    @Parameter(defaultValue = "${project.basedir}/src/main/flotilla", required = true)
    private File sourceDirectory;

    /** The interface files to stay compatible with, in the same layout. */
    @Parameter(defaultValue = "${project.basedir}/src/baseline/flotilla", required = true)
    private File baselineDirectory;

    /** Include files of shared type declarations, for both versions. */
    @Parameter
    private List<File> includes = new ArrayList<>();

    /** {@code wire} (the default) fails on wire-breaking changes, {@code source} on source-breaking ones too. */
    @Parameter(property = "flotilla.compatibility.failOn", defaultValue = "wire", required = true)
    private String failOn;

    /** Skips the check. */
    @Parameter(property = "flotilla.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Flotilla compatibility check skipped");
            return;
        }
        CompatibilityCheck.Level threshold = switch (failOn) {
            case "wire" -> CompatibilityCheck.Level.WIRE_BREAKING;
            case "source" -> CompatibilityCheck.Level.SOURCE_BREAKING;
            default -> throw new MojoExecutionException("failOn must be 'wire' or 'source', not '" + failOn + "'");
        };
        Path base = baselineDirectory.toPath();
        if (!Files.isDirectory(base)) {
            getLog().info("No baseline interfaces in " + base + "; nothing to compare");
            return;
        }
        List<Path> includePaths = includes.stream().map(File::toPath).toList();
        var failures = new ArrayList<String>();
        for (Path old : interfaces(base)) {
            Path now = sourceDirectory.toPath().resolve(base.relativize(old).toString());
            if (!Files.isRegularFile(now)) {
                String line = old + ": wire-breaking: interface removed (no " + now + ")";
                getLog().error(line);
                failures.add(line);
                continue;
            }
            Interface a = load(old, includePaths);
            Interface b = load(now, includePaths);
            CompatibilityCheck.Report report;
            try {
                report = CompatibilityCheck.compare(a, b);
            } catch (IllegalArgumentException e) {
                throw new MojoFailureException(now + ": " + e.getMessage());
            }
            for (CompatibilityCheck.Change c : report.changes()) {
                if (c.level().compareTo(threshold) >= 0) {
                    getLog().error(c.render());
                    failures.add(c.render());
                } else if (c.level() == CompatibilityCheck.Level.COMPATIBLE) {
                    getLog().info(c.render());
                } else {
                    getLog().warn(c.render());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new MojoFailureException(failures.size() + " interface change(s) break compatibility:\n"
                    + String.join("\n", failures));
        }
    }

    private static Interface load(Path file, List<Path> includes) throws MojoFailureException {
        CompileResult result = InterfaceLanguage.compile(file, includes);
        if (result.hasErrors()) {
            throw new MojoFailureException("Flotilla input file has errors:\n" + result.render());
        }
        return result.model().orElseThrow();
    }

    private static List<Path> interfaces(Path dir) throws MojoExecutionException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".if") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
