package io.flotilla.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code -cp/--class-path} option of every command that finds plugins, scenarios, transports or programs
 * through {@link java.util.ServiceLoader}. It only collects the entries; {@link Flotilla}'s execution strategy
 * resolves them with {@code FLOTILLA_CLASS_PATH} and the plugin folders ({@link UserCodePath}) and runs the command
 * with the resulting loader ({@link UserCode}) as the thread's context class loader, so every lookup sees them.
 */
final class UserClassPath {

    @Option(names = {"-cp", "--class-path"}, paramLabel = "PATH",
            description = "Jars or class directories with plugins, scenarios, transports or programs, searched before"
                    + " $" + UserCodePath.ENV + " and the plugin folders (entries separated by '${sys:path.separator}';"
                    + " DIR${sys:file.separator}* is every jar in DIR; repeatable).")
    private List<String> entries = new ArrayList<>();

    List<String> entries() {
        return List.copyOf(entries);
    }
}
