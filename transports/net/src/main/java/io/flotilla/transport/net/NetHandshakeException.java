package io.flotilla.transport.net;

import java.io.IOException;

/** A connection attempt that reached the peer but was refused in the handshake, by either side. */
public final class NetHandshakeException extends IOException {

    private final NetRefusal refusal;

    public NetHandshakeException(NetRefusal refusal, String message) {
        super(message);
        this.refusal = refusal;
    }

    public NetRefusal refusal() {
        return refusal;
    }
}
