package io.flotilla.transport.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One TCP connection carrying a {@link Session} after its handshake: the last handler of the pipeline. It hands
 * records and connection events to the session on the session's home event loop. A server may accept a resumed
 * connection on a different event loop than the session's first; then each event travels as a task to the home
 * loop, and since one thread enqueues them into one FIFO queue they keep their order. Writes from the home loop to
 * a connection on another loop are queued by Netty onto that loop, in order too.
 */
final class Link extends ChannelDuplexHandler {

    private final Session session;
    private final PeerLog log;
    private ChannelHandlerContext ctx;

    Link(Session session, PeerLog log) {
        this.session = session;
        this.log = log;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    boolean isWritable() {
        return ctx.channel().isWritable();
    }

    void write(ByteBuf b) {
        ctx.write(b, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    void writeAndClose(ByteBuf last) {
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }

    void close() {
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf record = (ByteBuf) msg;
        if (session.home.inEventLoop()) {
            session.onRecord(this, record); // the common case: no task, no allocation
        } else if (!toHome(() -> session.onRecord(this, record))) {
            record.release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        toHome(() -> session.writabilityChanged(this));
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        toHome(() -> session.lost(this, "connection to " + ctx.channel().remoteAddress() + " closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                log.refuse(ctx.channel(), "nothing received for " + session.config.idleTimeout().toMillis() + " ms");
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                toHome(() -> session.heartbeat(this));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.info(ctx.channel(), "connection lost: " + cause.getMessage());
            ctx.close();
        } else {
            log.refuse(ctx.channel(), "unexpected error: " + cause);
        }
    }

    /** Runs {@code task} on the session's home loop, now if this is it; false when that loop is gone. */
    private boolean toHome(Runnable task) {
        if (session.home.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            session.home.execute(task);
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
    }
}
