package io.flotilla.transport.lrpc;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.Transport;

/** {@code lrpc}: a channel between two dispatchers on one core, handed off inside its event loop. */
public final class LrpcTransport implements Transport {

    public static final String NAME = "lrpc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canConnect(Endpoint a, Endpoint b) {
        return a.sameCore(b);
    }

    @Override
    public ChannelPair open(Endpoint a, Endpoint b, ChannelOptions options) {
        if (!canConnect(a, b)) {
            throw new IllegalArgumentException("lrpc joins two ends on one core of one process, not " + a + " and " + b);
        }
        return LrpcChannel.open(options.slots());
    }
}
