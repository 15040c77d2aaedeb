package io.flotilla.transport.net;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * A client's session: after a lost connection it reconnects to the same address from its home event loop, with
 * exponential backoff and a bounded number of attempts, and resumes the session by its id. A refusal (the server
 * no longer holds the session, or fails its proof) ends the channel at once.
 */
final class ClientSession extends Session {

    private final NetTransport transport;
    private final InetSocketAddress remote;
    private int attempts;
    private ScheduledFuture<?> retry;

    ClientSession(long id, NetChannel channel, EventLoop home, NetConfig config, PeerLog log, int peerBatchFrames,
            NetTransport transport, InetSocketAddress remote) {
        super(id, channel, home, config, log, peerBatchFrames);
        this.transport = transport;
        this.remote = remote;
    }

    @Override
    void linkLost(String why) {
        attempts++;
        if (attempts > config.reconnectAttempts()) {
            end("connection lost (" + why + ") and " + config.reconnectAttempts() + " reconnect attempts failed");
            return;
        }
        long min = config.reconnectBackoffMin().toNanos();
        long delay = Math.min(config.reconnectBackoffMax().toNanos(), min << Math.min(attempts - 1, 20));
        PeerLog.LOG.log(System.Logger.Level.DEBUG, () -> "session " + Long.toHexString(id) + ": " + why
                + "; reconnect attempt " + attempts + " in " + delay / 1_000_000 + " ms");
        retry = schedule(this::reconnect, delay);
    }

    private void reconnect() {
        retry = null;
        if (isClosed()) {
            return;
        }
        ClientHandshake handshake = new ClientHandshake(config, log, id, new ClientHandshake.Outcome() {
            @Override
            public void opened(ChannelHandlerContext ctx, Handshake.Challenge challenge) {
                Link link = new Link(ClientSession.this, log);
                ctx.pipeline().replace(ctx.handler(), "link", link);
                attach(link); // the connection lives on home, so this runs right here
            }

            @Override
            public void failed(NetHandshakeException why, boolean permanent) {
                if (permanent) {
                    end("resume refused: " + why.getMessage());
                } else {
                    linkLost(why.getMessage());
                }
            }
        });
        ChannelFuture f;
        try {
            f = transport.openConnection(remote, home, config, log, handshake);
        } catch (RejectedExecutionException shuttingDown) {
            end("transport closed");
            return;
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                // The handshake handler never became active; count this as a lost attempt.
                if (!isClosed()) {
                    linkLost("connect to " + remote + " failed: " + done.cause().getMessage());
                }
            }
        });
    }

    @Override
    void linkAttached() {
        attempts = 0;
    }

    @Override
    void sessionEnded() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }
}
