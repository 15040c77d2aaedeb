package io.flotilla.boot;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.plugin.PluginException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one-call boot API: a Guice injector for a machine and a platform, with the kernel, the SKB's transport choice
 * and every plugin on the class path installed, and the caller's own modules after them.
 *
 * <pre>{@code
 * Injector injector = Flotilla.injector(Machines.load("amd-8x4"), new SimPlatform(42));
 * Multikernel mk = injector.getInstance(Multikernel.Builder.class).dispatcher(0, new Server()).boot();
 * }</pre>
 *
 * <p>Everything here is a module that can also be assembled by hand ({@link MachineModule}, {@link PlatformModule},
 * {@link KernelModule}, {@link PluginModule}); this class only saves the typing. There are no static singletons:
 * each call makes a new injector.
 */
public final class Flotilla {

    private Flotilla() {}

    /**
     * An injector with the machine, the platform, the kernel, the plugins found on the thread's context class
     * loader (or this class's), and {@code modules}.
     *
     * @throws PluginException if a plugin on the class path cannot be loaded: the message names each
     */
    public static Injector injector(Machine machine, Platform platform, Module... modules) throws PluginException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return injector(machine, platform, PluginModule.discover(loader != null ? loader
                : Flotilla.class.getClassLoader()), modules);
    }

    /** As {@link #injector(Machine, Platform, Module...)} with the plugins chosen by the caller. */
    public static Injector injector(Machine machine, Platform platform, PluginModule plugins, Module... modules) {
        List<Module> all = new ArrayList<>();
        all.add(new MachineModule(machine));
        all.add(PlatformModule.of(platform));
        all.add(new KernelModule());
        all.add(plugins);
        all.addAll(Arrays.asList(modules));
        return Guice.createInjector(all);
    }

    /** A multikernel builder from {@link #injector(Machine, Platform, Module...)}: add dispatchers, then boot. */
    public static Multikernel.Builder builder(Machine machine, Platform platform, Module... modules)
            throws PluginException {
        return injector(machine, platform, modules).getInstance(Multikernel.Builder.class);
    }
}
