package io.flotilla.channel;

import java.util.Objects;

/**
 * Picks the transport for two endpoints at bind time. Injectable: the default rule below is replaced by an SKB
 * query later, and a user can force one transport.
 */
@FunctionalInterface
public interface TransportSelector {

    String LRPC = "lrpc";
    String URPC = "urpc";
    String NET = "net";

    /** The name of the transport to join {@code a} and {@code b}. */
    String select(Endpoint a, Endpoint b);

    /** Same core of one process: {@code lrpc}; same machine: {@code urpc}; otherwise {@code net}. */
    static TransportSelector byLocality() {
        return (a, b) -> a.sameCore(b) ? LRPC : a.sameMachine(b) ? URPC : NET;
    }

    /** Always {@code name}, whatever the endpoints. */
    static TransportSelector forced(String name) {
        Objects.requireNonNull(name, "name");
        return (a, b) -> name;
    }
}
