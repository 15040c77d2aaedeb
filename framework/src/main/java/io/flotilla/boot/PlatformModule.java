package io.flotilla.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Platform;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;

/**
 * Binds the {@link Platform} a multikernel runs on. A platform is attached to one multikernel when it boots, so an
 * injector built with this module boots one multikernel.
 */
public abstract class PlatformModule extends AbstractModule {

    private PlatformModule() {}

    /** The deterministic simulator, seeded with {@code seed}. */
    public static PlatformModule sim(long seed) {
        return new PlatformModule() {
            @Provides
            @Singleton
            Platform platform() {
                return new SimPlatform(seed);
            }
        };
    }

    /**
     * One pinned host thread per core, opening channels with the transports of the {@link TransportRegistry} bound
     * in the injector (a {@link MachineModule} binds the discovered ones); refuses more cores than the host has.
     */
    public static PlatformModule pinned() {
        return new PlatformModule() {
            @Provides
            @Singleton
            Platform platform(TransportRegistry transports) {
                return new PinnedPlatform(transports, false, true, 1L);
            }
        };
    }

    /** A platform the caller made (a seeded sim with its own cost model, a pinned platform with oversubscription). */
    public static PlatformModule of(Platform platform) {
        java.util.Objects.requireNonNull(platform, "platform");
        return new PlatformModule() {
            @Override
            protected void configure() {
                bind(Platform.class).toInstance(platform);
            }
        };
    }
}
