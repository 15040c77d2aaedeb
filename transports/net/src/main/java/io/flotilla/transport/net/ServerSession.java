package io.flotilla.transport.net;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;

/** A server's session: after a lost connection it waits {@link NetConfig#sessionLinger()} for the client to resume. */
final class ServerSession extends Session {

    private ScheduledFuture<?> expiry;

    ServerSession(long id, NetChannel channel, EventLoop home, NetConfig config, PeerLog log, int peerBatchFrames) {
        super(id, channel, home, config, log, peerBatchFrames);
    }

    @Override
    void linkLost(String why) {
        PeerLog.LOG.log(System.Logger.Level.DEBUG, () -> "session " + Long.toHexString(id) + ": " + why
                + "; waiting for the client to resume");
        expiry = schedule(() -> end("client did not resume within " + config.sessionLinger().toMillis()
                + " ms after: " + why), config.sessionLinger().toNanos());
    }

    @Override
    void linkAttached() {
        cancelExpiry();
    }

    @Override
    void sessionEnded() {
        cancelExpiry();
    }

    private void cancelExpiry() {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }
}
