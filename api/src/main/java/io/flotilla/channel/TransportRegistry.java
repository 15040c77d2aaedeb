package io.flotilla.channel;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The transports known to a process, by name. Immutable: {@link #with(Transport)} returns a new registry.
 * {@link #discover()} finds every {@link Transport} listed under {@code META-INF/services} on the class path.
 */
public final class TransportRegistry {

    private final Map<String, Transport> byName;

    private TransportRegistry(Map<String, Transport> byName) {
        this.byName = byName;
    }

    /** A registry of no transports. */
    public static TransportRegistry empty() {
        return new TransportRegistry(Collections.emptyMap());
    }

    /** A registry of exactly these transports. */
    public static TransportRegistry of(Transport... transports) {
        TransportRegistry registry = empty();
        for (Transport transport : transports) {
            registry = registry.with(transport);
        }
        return registry;
    }

    /** Every transport the context class loader (else this class's loader) can see through ServiceLoader. */
    public static TransportRegistry discover() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return discover(loader != null ? loader : TransportRegistry.class.getClassLoader());
    }

    /** Every transport {@code loader} can see through ServiceLoader. */
    public static TransportRegistry discover(ClassLoader loader) {
        TransportRegistry registry = empty();
        for (Transport transport : ServiceLoader.load(Transport.class, loader)) {
            registry = registry.with(transport);
        }
        return registry;
    }

    /**
     * This registry plus {@code transport}.
     *
     * @throws IllegalArgumentException if its name is blank or taken, or its SPI version is not
     *                                  {@link Transport#SPI_VERSION}
     */
    public TransportRegistry with(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        String name = transport.name();
        String type = transport.getClass().getName();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("transport " + type + " has a blank name");
        }
        if (transport.spiVersion() != Transport.SPI_VERSION) {
            throw new IllegalArgumentException("transport '" + name + "' (" + type + ") implements transport SPI version "
                    + transport.spiVersion() + ", this framework speaks version " + Transport.SPI_VERSION);
        }
        Transport existing = byName.get(name);
        if (existing != null) {
            throw new IllegalArgumentException("two transports are named '" + name + "': "
                    + existing.getClass().getName() + " and " + type);
        }
        Map<String, Transport> copy = new TreeMap<>(byName);
        copy.put(name, transport);
        return new TransportRegistry(Collections.unmodifiableMap(copy));
    }

    public Optional<Transport> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @throws IllegalArgumentException naming the known transports, if none is called {@code name} */
    public Transport get(String name) {
        Transport transport = byName.get(name);
        if (transport == null) {
            throw new IllegalArgumentException("no transport named '" + name + "'; known: " + byName.keySet());
        }
        return transport;
    }

    /** Names, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * Opens a channel between {@code a} and {@code b} on the transport {@code selector} picks, with that transport's
     * own default ring size ({@link Transport#defaultSlots()}).
     */
    public ChannelPair open(Endpoint a, Endpoint b, TransportSelector selector) {
        Transport transport = get(selector.select(a, b));
        return open(a, b, selector, ChannelOptions.DEFAULT.withSlots(transport.defaultSlots()));
    }

    /** Opens a channel between {@code a} and {@code b} on the transport {@code selector} picks. */
    public ChannelPair open(Endpoint a, Endpoint b, TransportSelector selector, ChannelOptions options) {
        Transport transport = get(selector.select(a, b));
        if (!transport.canConnect(a, b)) {
            throw new IllegalArgumentException("transport '" + transport.name() + "' cannot join " + a + " and " + b);
        }
        return transport.open(a, b, options);
    }
}
