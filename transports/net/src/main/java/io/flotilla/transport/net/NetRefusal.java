package io.flotilla.transport.net;

/** Why a handshake was refused. The server sends the ordinal in a REFUSE record; the order is part of the wire. */
public enum NetRefusal {
    /** The peers speak different versions of the {@code net} protocol. */
    PROTOCOL_VERSION,
    /** The peers name different interfaces, or the same interface with different fingerprints. */
    INTERFACE,
    /** A peer failed to prove the shared cluster secret. */
    AUTHENTICATION,
    /** The client asked to resume a session the server does not hold (expired, or never opened). */
    UNKNOWN_SESSION,
    /** A handshake field was out of range (ring or batch size). */
    BAD_PARAMETERS,
    /** The peer broke the handshake: a record out of order, a malformed one, or silence past the timeout. */
    PROTOCOL,
    /** The server is closing: it lets its sessions finish but opens no new one. */
    CLOSING;

    static NetRefusal fromWire(int ordinal) {
        NetRefusal[] all = values();
        return ordinal >= 0 && ordinal < all.length ? all[ordinal] : PROTOCOL;
    }
}
