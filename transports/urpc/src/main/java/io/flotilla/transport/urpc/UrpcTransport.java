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
 * <p>Options: {@value #FLOW_CONTROL} = {@code epoch} or {@code used-bit} (default: chosen per core pair, see
 * {@link #flowControlFor}); {@value #SHARED_CACHE} = {@code true} or {@code false}, whether the two cores share a
 * cache, for callers that know it better than /sys; {@value #ACK_BATCH} = frames between acks in the epoch scheme,
 * or between the used-bit receiver's bursts of clears (default slots / 2).
 */
public final class UrpcTransport implements Transport {

    public static final String NAME = "urpc";
    public static final String FLOW_CONTROL = "urpc.flowControl";
    public static final String ACK_BATCH = "urpc.ackBatch";
    public static final String SHARED_CACHE = "urpc.sharedCache";

    /**
     * The scheme where nothing says whether two cores share a cache ({@link FlowControl#forPair}(null)): the epoch
     * scheme, whose round trip was the best of all contestants on both machines measured and which streamed faster
     * on the 16-core Xeon (docs/benchmarks.md, "Transports").
     */
    public static final FlowControl DEFAULT_FLOW_CONTROL = FlowControl.EPOCH;

    /**
     * The scheme {@link #open} uses for endpoints {@code a} and {@code b} under {@code options}: {@value
     * #FLOW_CONTROL} if given; otherwise {@link FlowControl#forPair} of {@value #SHARED_CACHE} if given, else of
     * what /sys says about CPUs {@code a.core()} and {@code b.core()} modulo this machine's CPU count (the pinned
     * platform's placement: core c runs on CPU c mod CPUs), else {@link #DEFAULT_FLOW_CONTROL}. Bind time only.
     */
    public static FlowControl flowControlFor(Endpoint a, Endpoint b, ChannelOptions options) {
        String named = options.property(FLOW_CONTROL, null);
        if (named != null) {
            return FlowControl.parse(named);
        }
        String shared = options.property(SHARED_CACHE, null);
        if (shared != null) {
            String t = shared.trim();
            if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(SHARED_CACHE + " must be 'true' or 'false', not '" + shared + "'");
            }
            return FlowControl.forPair(Boolean.parseBoolean(t));
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        return FlowControl.forPair(CacheTopology.sharesCache(a.core() % cpus, b.core() % cpus));
    }

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
        FlowControl flow = flowControlFor(a, b, options);
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
