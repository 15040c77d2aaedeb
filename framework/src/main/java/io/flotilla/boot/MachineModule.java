package io.flotilla.boot;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.channel.TransportSelector;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import io.flotilla.skb.SkbTransportSelector;
import java.util.Objects;

/**
 * The Guice module of one machine: binds the {@link Machine}, its {@link Skb} (built once, on first use: building
 * the facts of a 1024-core machine is not free), the {@link TransportSelector} (an {@link SkbTransportSelector}, so
 * each core pair gets the transport the SKB's rule picks) and the {@link TransportRegistry} of the transports on
 * the class path.
 *
 * <p>Endpoints on {@link io.flotilla.channel.Endpoint#localMachine()} are this machine's cores. Compiled machines
 * hand out this module from their generated {@code module()} method.
 */
public class MachineModule extends AbstractModule {

    private final Machine machine;

    public MachineModule(Machine machine) {
        this.machine = Objects.requireNonNull(machine, "machine");
    }

    /** The machine this module binds. */
    public final Machine machine() {
        return machine;
    }

    @Override
    protected void configure() {
        bind(Machine.class).toInstance(machine);
    }

    @Provides
    @Singleton
    Skb skb(Machine m) {
        return Skb.of(m);
    }

    @Provides
    @Singleton
    TransportSelector transportSelector(Skb skb) {
        return SkbTransportSelector.local(skb);
    }

    @Provides
    @Singleton
    TransportRegistry transportRegistry() {
        return TransportRegistry.discover();
    }

    /** Two modules of one machine are one module: Guice then installs it once. */
    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((MachineModule) o).machine == machine;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(machine);
    }
}
