package io.flotilla.channel;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to open a channel: the ring size and transport-specific settings.
 *
 * @param slots      frames per direction: a power of two, at least 2 (Barrelfish's default is 32)
 * @param properties transport-specific settings, keys prefixed by the transport's name (for example
 *                   {@code urpc.flowControl}); a transport ignores keys it does not know
 */
public record ChannelOptions(int slots, Map<String, String> properties) {

    public static final int DEFAULT_SLOTS = 32;

    public static final ChannelOptions DEFAULT = new ChannelOptions(DEFAULT_SLOTS, Map.of());

    public ChannelOptions {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two >= 2: " + slots);
        }
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
    }

    public ChannelOptions withSlots(int slots) {
        return new ChannelOptions(slots, properties);
    }

    public ChannelOptions with(String key, String value) {
        Map<String, String> copy = new HashMap<>(properties);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new ChannelOptions(slots, copy);
    }

    public String property(String key, String otherwise) {
        return properties.getOrDefault(key, otherwise);
    }
}
