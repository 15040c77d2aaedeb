package io.flotilla.transport.urpc;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.Transport;

/**
 * {@code urpc}: shared-memory channels between cores of one machine (see {@link UrpcChannel}). {@link #open} joins
 * two endpoints of this process through a direct buffer; two processes share a mapped file through
 * {@link UrpcChannel#create} and {@link UrpcChannel#attach}.
 *
 * <p>Options: {@value #FLOW_CONTROL} = {@code epoch} (default) or {@code used-bit}; {@value #ACK_BATCH} = frames
 * between acks in the epoch scheme (default slots / 2).
 */
public final class UrpcTransport implements Transport {

    public static final String NAME = "urpc";
    public static final String FLOW_CONTROL = "urpc.flowControl";
    public static final String ACK_BATCH = "urpc.ackBatch";

    /**
     * The scheme {@link #open} uses unless told otherwise. Measured side by side on a dedicated 16-core Xeon
     * (docs/benchmarks.md, "Transports"): the epoch scheme streamed 1.4x more frames per second than the used bit
     * (26.1 vs 18.4 million/s) at the same median round trip and a 1.8x lower p99, as Barrelfish's reasoning
     * predicts (the used bit makes every slot line cross the cores once more). On the shared 2-vCPU VM the used bit
     * was ahead, but there both threads were often descheduled; the quiet machine decides. The used bit stays
     * selectable.
     */
    public static final FlowControl DEFAULT_FLOW_CONTROL = FlowControl.EPOCH;

    /**
     * {@value #DEFAULT_SLOTS} frames: two threads or processes; room for a burst while the receiver's loop is busy
     * elsewhere.
     */
    static final int DEFAULT_SLOTS = 256;

    @Override
    public int defaultSlots() {
        return DEFAULT_SLOTS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canConnect(Endpoint a, Endpoint b) {
        return a.sameProcess(b);
    }

    @Override
    public ChannelPair open(Endpoint a, Endpoint b, ChannelOptions options) {
        if (!canConnect(a, b)) {
            throw new IllegalArgumentException("urpc.open joins two ends of one process, not " + a + " and " + b
                    + "; processes share a channel through UrpcChannel.create/attach");
        }
        FlowControl flow = FlowControl.parse(options.property(FLOW_CONTROL, DEFAULT_FLOW_CONTROL.label()));
        String batch = options.property(ACK_BATCH, null);
        int ackBatch;
        try {
            ackBatch = batch == null ? UrpcChannel.defaultAckBatch(options.slots()) : Integer.parseInt(batch.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ACK_BATCH + " must be an integer, not '" + batch + "'", e);
        }
        return UrpcChannel.openPair(options.slots(), flow, ackBatch);
    }
}
