package io.flotilla.binding;

/**
 * One wire message of an interface: a {@code message}, or one half of an {@code rpc}.
 *
 * @param number the message number carried in every frame's control word
 * @param name the name as written in the interface file; rpc halves are {@code NAME_call} and {@code NAME_response}
 */
public record MessageDescriptor(int number, String name, Kind kind) {

    public enum Kind { MESSAGE, RPC_CALL, RPC_RESPONSE }
}
