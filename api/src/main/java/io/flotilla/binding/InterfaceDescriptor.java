package io.flotilla.binding;

import java.util.List;

/**
 * What a generated interface says about itself at run time: its name, description and a fingerprint of its wire
 * format, so that two ends (or a network handshake) can check that they speak the same version.
 *
 * @param fingerprint a hash of the interface's canonical wire description: equal fingerprints mean identical
 *     message numbers, argument types and frame layouts
 */
public record InterfaceDescriptor(String name, String description, long fingerprint,
        List<MessageDescriptor> messages) {

    public InterfaceDescriptor {
        messages = List.copyOf(messages);
    }

    /** The message with this number, or null. */
    public MessageDescriptor message(int number) {
        for (MessageDescriptor m : messages) {
            if (m.number() == number) {
                return m;
            }
        }
        return null;
    }
}
