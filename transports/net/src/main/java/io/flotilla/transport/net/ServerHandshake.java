package io.flotilla.transport.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's half of the handshake (see {@link Wire}): checks HELLO's version, interface and sizes, answers
 * with CHALLENGE, checks the client's PROOF, then opens a new session or reattaches the connection to the session
 * it resumes, and replaces itself by a {@link Link}. Every refusal is logged with the peer's address, answered with
 * a REFUSE naming the reason where the client has earned that much, and closes the connection; nothing from a
 * refused peer reaches a channel.
 */
final class ServerHandshake extends ChannelInboundHandlerAdapter {

    private final NetServer server;
    private final NetConfig config;
    private final PeerLog log;
    private final byte[] name;
    private Handshake.Hello hello;
    private Handshake.Challenge challenge;
    private boolean done;
    private ScheduledFuture<?> timeout;

    ServerHandshake(NetServer server) {
        this.server = server;
        this.config = server.config();
        this.log = server.log();
        this.name = config.interfaceName().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(
                () -> refuse(ctx, NetRefusal.PROTOCOL,
                        "no complete handshake within " + config.handshakeTimeout().toMillis() + " ms"),
                config.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf record = (ByteBuf) msg;
        try {
            if (done) {
                return;
            }
            int type = record.readUnsignedByte();
            if (type == Wire.HELLO && hello == null) {
                onHello(ctx, record);
            } else if (type == Wire.REFUSE && challenge != null) {
                // The client checked this server's proof and refused it (or something else in CHALLENGE).
                NetRefusal why = NetRefusal.fromWire(record.readUnsignedByte());
                done = true;
                timeout.cancel(false);
                log.refuse(ctx.channel(), "the peer refused this server's CHALLENGE (" + why + ")"
                        + (why == NetRefusal.AUTHENTICATION ? ": the two ends have different cluster secrets" : ""));
                server.refused(ctx.channel(), why);
            } else if (type == Wire.PROOF && challenge != null) {
                byte[] mac = new byte[Wire.MAC_BYTES];
                record.readBytes(mac);
                onProof(ctx, mac);
            } else {
                refuse(ctx, NetRefusal.PROTOCOL, Wire.typeName(type) + " record out of order in the handshake");
            }
        } finally {
            record.release();
        }
    }

    private void onHello(ChannelHandlerContext ctx, ByteBuf body) {
        int version = body.readUnsignedShort();
        if (version != Wire.VERSION) {
            refuse(ctx, NetRefusal.PROTOCOL_VERSION,
                    "peer speaks protocol version " + version + ", this server speaks " + Wire.VERSION);
            return;
        }
        Handshake.Hello h = Handshake.Hello.decodeV1(version, body);
        if (h == null) {
            refuse(ctx, NetRefusal.PROTOCOL, "malformed HELLO");
            return;
        }
        if (!Arrays.equals(h.name(), name) || h.fingerprint() != config.fingerprint()) {
            // The name is the peer's, unauthenticated: escaped and cut, so it cannot forge a log line.
            refuse(ctx, NetRefusal.INTERFACE, "peer speaks interface '"
                    + PeerText.ofUtf8(h.name(), 64) + "' fingerprint "
                    + Long.toHexString(h.fingerprint()) + ", this server speaks '" + config.interfaceName()
                    + "' fingerprint " + Long.toHexString(config.fingerprint()));
            return;
        }
        String bad = Handshake.checkSizes(h.ringFrames(), h.batchFrames());
        if (bad != null) {
            refuse(ctx, NetRefusal.BAD_PARAMETERS, "peer announced a " + bad);
            return;
        }
        hello = h;
        long session = h.sessionId() == 0 ? Handshake.newSessionId() : h.sessionId();
        Handshake.Challenge unsigned = new Handshake.Challenge(Handshake.nonce(), session, config.ringFrames(),
                config.maxBatchFrames(), null);
        challenge = new Handshake.Challenge(unsigned.nonce(), session, unsigned.ringFrames(),
                unsigned.batchFrames(), Handshake.mac(config.clusterSecret(), Handshake.SERVER_ROLE, h, unsigned));
        ctx.writeAndFlush(challenge.encode(ctx.alloc()));
    }

    private void onProof(ChannelHandlerContext ctx, byte[] mac) {
        byte[] expected = Handshake.mac(config.clusterSecret(), Handshake.CLIENT_ROLE, hello, challenge);
        if (!Handshake.sameMac(expected, mac)) {
            refuse(ctx, NetRefusal.AUTHENTICATION, "peer failed to prove the cluster secret");
            return;
        }
        Session session;
        boolean fresh = hello.sessionId() == 0;
        if (fresh && server.isClosing()) {
            refuse(ctx, NetRefusal.CLOSING, "server is closing; no new session");
            return;
        }
        if (fresh) {
            session = server.openSession(challenge.sessionId(), ctx.channel().eventLoop(), hello);
        } else {
            session = server.session(challenge.sessionId());
            if (session == null) {
                refuse(ctx, NetRefusal.UNKNOWN_SESSION, "peer resumes session "
                        + Long.toHexString(challenge.sessionId()) + " which this server does not hold");
                return;
            }
        }
        done = true;
        timeout.cancel(false);
        Link link = new Link(session, log);
        ctx.pipeline().replace(this, "link", link);
        // WELCOME goes out before anything the session writes: those writes reach this connection's loop later.
        ctx.writeAndFlush(Handshake.welcome(ctx.alloc()));
        session.execute(() -> session.attach(link));
        if (fresh) {
            server.accepted(session.channel);
        }
        log.info(ctx.channel(), (fresh ? "opened" : "resumed") + " session " + Long.toHexString(session.id));
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
        refuse(ctx, NetRefusal.PROTOCOL, "connection failed during the handshake: "
                + PeerText.of(String.valueOf(cause.getMessage())));
    }

    private void refuse(ChannelHandlerContext ctx, NetRefusal why, String reason) {
        if (done) {
            return;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        String line = "refused (" + why + "): " + reason;
        log.record(ctx.channel(), line);
        server.refused(ctx.channel(), why);
        ctx.writeAndFlush(Handshake.refuse(ctx.alloc(), why)).addListener(ChannelFutureListener.CLOSE);
    }
}
