package io.flotilla.transport.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client's half of the handshake (see {@link Wire}): sends HELLO, checks the server's proof in CHALLENGE,
 * sends its own in PROOF, and on WELCOME hands the connection to {@link Outcome#opened}, which replaces this
 * handler by a {@link Link}. Anything else fails the attempt and closes the connection.
 */
final class ClientHandshake extends ChannelInboundHandlerAdapter {

    /** What the handshake's owner (a first connect, or a resuming session) does with its result. */
    interface Outcome {
        /** On the connection's event loop; must replace {@code ctx.handler()} with a {@link Link} before returning. */
        void opened(ChannelHandlerContext ctx, Handshake.Challenge challenge);

        /** The attempt failed; {@code permanent} when retrying cannot help (a refusal, a bad proof). */
        void failed(NetHandshakeException why, boolean permanent);
    }

    private final NetConfig config;
    private final PeerLog log;
    private final long sessionId;
    private final Outcome outcome;
    private final Handshake.Hello hello;
    private boolean challenged;
    private Handshake.Challenge lastChallenge;
    private boolean done;
    private ScheduledFuture<?> timeout;

    /** {@code sessionId} 0 opens a new session; anything else resumes that one. */
    ClientHandshake(NetConfig config, PeerLog log, long sessionId, Outcome outcome) {
        this.config = config;
        this.log = log;
        this.sessionId = sessionId;
        this.outcome = outcome;
        this.hello = new Handshake.Hello(Wire.VERSION, config.ringFrames(), config.maxBatchFrames(), sessionId,
                config.fingerprint(), Handshake.nonce(), config.interfaceName().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(
                () -> fail(ctx, NetRefusal.PROTOCOL, "no handshake within " + config.handshakeTimeout().toMillis()
                        + " ms", false),
                config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(hello.encode(ctx.alloc()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf record = (ByteBuf) msg;
        try {
            if (done) {
                return;
            }
            int type = record.readUnsignedByte();
            if (type == Wire.REFUSE) {
                NetRefusal why = NetRefusal.fromWire(record.readUnsignedByte());
                fail(ctx, why, "server refused the handshake: " + why, true);
            } else if (type == Wire.CHALLENGE && !challenged) {
                challenged = true;
                onChallenge(ctx, Handshake.Challenge.decode(record));
            } else if (type == Wire.WELCOME && challenged) {
                done = true;
                timeout.cancel(false);
                outcome.opened(ctx, lastChallenge);
            } else {
                fail(ctx, NetRefusal.PROTOCOL, Wire.typeName(type) + " record out of order in the handshake", true);
            }
        } finally {
            record.release();
        }
    }

    private void onChallenge(ChannelHandlerContext ctx, Handshake.Challenge c) {
        String bad = Handshake.checkSizes(c.ringFrames(), c.batchFrames());
        if (bad != null) {
            fail(ctx, NetRefusal.BAD_PARAMETERS, "server announced a " + bad, true);
            return;
        }
        if (sessionId != 0 && c.sessionId() != sessionId) {
            fail(ctx, NetRefusal.PROTOCOL, "server answered a resume of session " + Long.toHexString(sessionId)
                    + " with session " + Long.toHexString(c.sessionId()), true);
            return;
        }
        byte[] expected = Handshake.mac(config.clusterSecret(), Handshake.SERVER_ROLE, hello, c);
        if (!Handshake.sameMac(expected, c.mac())) {
            // Say so before closing: the server learns at once why this client went, instead of seeing a closed
            // connection (a REFUSE from a client is only ever read after the server's CHALLENGE).
            ctx.writeAndFlush(Handshake.refuse(ctx.alloc(), NetRefusal.AUTHENTICATION));
            fail(ctx, NetRefusal.AUTHENTICATION, "server failed to prove the cluster secret", true);
            return;
        }
        lastChallenge = c;
        ctx.writeAndFlush(Handshake.proof(ctx.alloc(),
                Handshake.mac(config.clusterSecret(), Handshake.CLIENT_ROLE, hello, c)));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, NetRefusal.PROTOCOL, "connection closed during the handshake", false);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.cancel(false); // replaced by a Link, or the connection is gone
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent)) { // the handshake timeout covers silence here
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, NetRefusal.PROTOCOL, "connection failed during the handshake: " + cause.getMessage(), false);
    }

    private void fail(ChannelHandlerContext ctx, NetRefusal why, String reason, boolean permanent) {
        if (done) {
            return;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        log.refuse(ctx.channel(), reason);
        outcome.failed(new NetHandshakeException(why, reason + " (" + ctx.channel().remoteAddress() + ")"),
                permanent);
    }
}
