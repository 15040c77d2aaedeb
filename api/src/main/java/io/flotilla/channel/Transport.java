package io.flotilla.channel;

/**
 * A way of moving frames between two endpoints: the service-provider interface every transport implements
 * ({@code lrpc}, {@code urpc}, {@code net}, or a third party's). Generated stubs and user code never name a
 * transport class: a {@link TransportSelector} names the transport, a {@link TransportRegistry} finds it.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.flotilla.channel.Transport}; it needs a public no-argument constructor. See
 * {@code docs/transports.md} for the whole contract, including what the {@link Channel}s it opens must do.
 *
 * <p>Versioning: {@link #SPI_VERSION} changes when this interface or the {@link Channel} contract changes
 * incompatibly. A registry refuses a transport whose {@link #spiVersion()} differs from the version it was built
 * against, with a message that names the transport.
 */
public interface Transport {

    /** The version of this SPI. */
    int SPI_VERSION = 1;

    /** The name selectors and users refer to the transport by: lower case, unique in a registry. */
    String name();

    /** The SPI version the transport was written against. Leave the default unless you know better. */
    default int spiVersion() {
        return SPI_VERSION;
    }

    /**
     * Whether {@link #open} can join these two endpoints (for example {@code lrpc} needs one core of one process,
     * {@code urpc}'s in-process {@code open} needs one process).
     */
    boolean canConnect(Endpoint a, Endpoint b);

    /**
     * Opens a channel between two endpoints and returns both ends; {@code left} is meant for {@code a} and
     * {@code right} for {@code b}. Called off the hot path; may allocate and may take locks.
     *
     * @throws IllegalArgumentException if {@link #canConnect} is false for these endpoints, or an option is
     *                                  invalid (the message names the option)
     */
    ChannelPair open(Endpoint a, Endpoint b, ChannelOptions options);

    /**
     * The ring size this transport's channels get when the caller names none ({@link #open(Endpoint, Endpoint)}):
     * what suits the transport's round trip of acknowledgements. {@link ChannelOptions#DEFAULT_SLOTS} unless the
     * transport knows better (urpc 256, net 1024; see docs/bindings.md, "Ring sizes").
     */
    default int defaultSlots() {
        return ChannelOptions.DEFAULT_SLOTS;
    }

    /** Opens a channel with this transport's own default ring size ({@link #defaultSlots()}). */
    default ChannelPair open(Endpoint a, Endpoint b) {
        return open(a, b, ChannelOptions.DEFAULT.withSlots(defaultSlots()));
    }
}
