package io.flotilla.experiments.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URL;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;

/**
 * The experiments shipped with Flotilla and its plugins: class-path resources
 * {@code io/flotilla/experiments/NAME.yaml}, listed in {@code io/flotilla/experiments/experiments.index} (one name a
 * line, {@code #} comments) so that they can be enumerated without scanning jars. Every jar may carry its own index;
 * {@link #names} joins them in class-path order. {@link #resolve} also finds a shipped file that no index lists,
 * and takes a path to an experiment file of one's own.
 */
public final class ExperimentCatalog {

    static final String DIR = "io/flotilla/experiments/";
    static final String INDEX = DIR + "experiments.index";

    private final ClassLoader loader;
    private final ExperimentLoader experiments;

    public ExperimentCatalog(ClassLoader loader, ExperimentLoader experiments) {
        this.loader = loader;
        this.experiments = experiments;
    }

    /** The shipped experiments' names, in index order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        List<URL> indexes;
        try {
            indexes = Collections.list(loader.getResources(INDEX));
        } catch (IOException e) {
            throw new ExperimentFormatException(INDEX + ": cannot read: " + e.getMessage());
        }
        for (URL url : indexes) {
            String index;
            try (InputStream in = url.openStream()) {
                index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ExperimentFormatException(url + ": cannot read: " + e.getMessage());
            }
            for (String line : index.split("\n")) {
                String n = line.strip();
                if (!n.isEmpty() && !n.startsWith("#") && !out.contains(n)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** Every shipped experiment, checked. */
    public List<ExperimentSpec> all() {
        List<ExperimentSpec> out = new ArrayList<>();
        for (String n : names()) {
            out.add(resolve(n));
        }
        return out;
    }

    /** A shipped experiment by name, or the experiment file at that path. */
    public ExperimentSpec resolve(String nameOrFile) {
        boolean listed = names().contains(nameOrFile);
        String text = nameOrFile.contains("/") ? null : resource(DIR + nameOrFile + ".yaml");
        if (text != null) {
            return experiments.parse(nameOrFile + ".yaml", text);
        }
        if (listed) {
            throw new ExperimentFormatException(INDEX + ": lists '" + nameOrFile + "' but " + DIR + nameOrFile
                    + ".yaml is not on the class path");
        }
        Path file = Path.of(nameOrFile);
        if (Files.exists(file)) {
            // The loader refuses what is not a plain file (a directory, /dev/zero, a pipe) and reads no more
            // than its size limit.
            return experiments.load(file);
        }
        throw new ExperimentFormatException("no experiment '" + nameOrFile + "': not a shipped one (shipped: "
                + String.join(", ", names()) + ") and no such file");
    }

    private String resource(String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : ExperimentLoader.boundedText(name, in);
        } catch (IOException e) {
            throw new ExperimentFormatException(name + ": cannot read: " + e.getMessage());
        }
    }
}
