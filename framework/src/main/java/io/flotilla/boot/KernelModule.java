package io.flotilla.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.flotilla.channel.TransportSelector;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import io.flotilla.skb.SkbTransportSelector;

/**
 * Provides a {@link Multikernel.Builder} for the bound {@link Machine} and {@link Platform}, with the SKB choosing
 * the transport of every bind. With a {@link MachineModule} and a {@link PlatformModule}:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(new MachineModule(Machines.load("amd-8x4")),
 *         PlatformModule.sim(42), new KernelModule());
 * Multikernel mk = injector.getInstance(Multikernel.Builder.class).dispatcher(0, new Server()).boot();
 * }</pre>
 *
 * <p>The selector treats the machine named in the endpoints of the bind as the SKB's own machine: platforms name
 * their endpoints differently (the simulator by the machine's name, the pinned platform by the host's), and both
 * ends of a bind inside one multikernel are on one machine. Ends on two different machines get {@code net}.
 */
public final class KernelModule extends AbstractModule {

    @Provides
    Multikernel.Builder builder(Machine machine, Platform platform, Skb skb) {
        TransportSelector bySkb = (a, b) -> a.sameMachine(b)
                ? new SkbTransportSelector(skb, a.machine()).select(a, b)
                : TransportSelector.NET;
        return Multikernel.builder(machine, platform).selector(bySkb);
    }
}
