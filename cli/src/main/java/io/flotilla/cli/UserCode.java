package io.flotilla.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The user's code for the length of one command: one class loader over the {@link UserCodePath} entries, a child
 * of flotilla's own, installed as the thread's context class loader. Plugins, scenarios, transports and experiment
 * files are all found through the context class loader, so they all see the same classes (a scenario and the
 * plugin it uses come from the same loader). Threads the command starts inherit it. Closing restores the previous
 * context class loader and releases the jars.
 */
final class UserCode implements AutoCloseable {

    private final URLClassLoader loader;
    private final ClassLoader previous;
    private final List<Path> entries;

    private UserCode(URLClassLoader loader, ClassLoader previous, List<Path> entries) {
        this.loader = loader;
        this.previous = previous;
        this.entries = entries;
    }

    static UserCode install(List<Path> entries) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        ClassLoader parent = previous != null ? previous : UserCode.class.getClassLoader();
        var loader = new URLClassLoader("flotilla-user-code", urls(entries), parent);
        t.setContextClassLoader(loader);
        return new UserCode(loader, previous, List.copyOf(entries));
    }

    ClassLoader loader() {
        return loader;
    }

    List<Path> entries() {
        return entries;
    }

    @Override
    public void close() {
        Thread.currentThread().setContextClassLoader(previous);
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL[] urls(List<Path> paths) {
        var urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = paths.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(paths.get(i) + ": " + e.getMessage(), e);
            }
        }
        return urls;
    }
}
