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
 * <p>Options: {@value #FLOW_CONTROL} = {@code epoch} (the default) or {@code used-bit}; {@value #HAND_BACK} =
 * {@code true} or {@code false}, whether the epoch scheme's receivers hand consumed lines back (default: chosen per
 * core pair, see {@link #handBackFor}); {@value #SHARED_CACHE} = {@code true} or {@code false}, whether the two cores
 * share a cache, for callers that know it better than /sys; {@value #ACK_BATCH} = frames between acks in the epoch
 * scheme, or between the used-bit receiver's bursts of clears (default slots / 2); {@value #SLOT_SPACING} = {@code
 * spread} (the default) or {@code packed}, see {@link SlotSpacing}.
 */
public final class UrpcTransport implements Transport {

    public static final String NAME = "urpc";
    public static final String FLOW_CONTROL = "urpc.flowControl";
    public static final String ACK_BATCH = "urpc.ackBatch";
    public static final String SHARED_CACHE = "urpc.sharedCache";
    public static final String HAND_BACK = "urpc.handBack";
    public static final String SLOT_SPACING = "urpc.slotSpacing";

    /**
     * The epoch scheme, on every pair: with spread slots and, where the cores share a cache, hand-back, it has the
     * best round trip of every urpc configuration and peer measured and streams as fast as the used bit
     * (docs/benchmarks.md, issue 18); across dies or sockets it keeps every line one-writer, Barrelfish's choice.
     */
    public static final FlowControl DEFAULT_FLOW_CONTROL = FlowControl.EPOCH;

    /** The scheme {@link #open} uses: {@value #FLOW_CONTROL} if given, else {@link #DEFAULT_FLOW_CONTROL}. */
    public static FlowControl flowControlFor(ChannelOptions options) {
        String named = options.property(FLOW_CONTROL, null);
        return named != null ? FlowControl.parse(named) : DEFAULT_FLOW_CONTROL;
    }

    /**
     * Whether {@link #open}'s epoch receivers between endpoints {@code a} and {@code b} hand consumed lines back (see
     * {@code EpochUrpcChannel}): {@value #HAND_BACK} if given; otherwise whether the two cores share a cache, from
     * {@value #SHARED_CACHE} if given, else from what /sys says about CPUs {@code a.core()} and {@code b.core()}
     * modulo this machine's CPU count (the pinned platform's placement: core c runs on CPU c mod CPUs); no hand-back
     * where nothing says. Measured only where the cores share an L3: across dies or sockets a dirty line's transfer
     * may cost more than a clean one's, so there every ring line stays one-writer until someone measures otherwise.
     * Bind time only.
     */
    public static boolean handBackFor(Endpoint a, Endpoint b, ChannelOptions options) {
        Boolean said = handBackOption(options);
        if (said != null) {
            return said;
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        return Boolean.TRUE.equals(CacheTopology.sharesCache(a.core() % cpus, b.core() % cpus));
    }

    /**
     * Whether the receiver of a channel between two processes of this host hands lines back, when the processes do
     * not know which CPUs the other's threads run on ({@code flotilla node}'s channels to the other nodes of its
     * host): {@value #HAND_BACK} or {@value #SHARED_CACHE} if given, else only where one L2 or L3 holds every CPU of
     * the host, so the pair shares it wherever the threads run (the project's 2-vCPU VM is such a host; a many-core
     * machine with several dies is not, and there every ring line stays one-writer as {@link #handBackFor} keeps
     * it for pairs that share no cache). Bind time only.
     */
    public static boolean handBackBetweenProcesses(ChannelOptions options) {
        Boolean said = handBackOption(options);
        return said != null ? said : Boolean.TRUE.equals(CacheTopology.oneCacheForAll());
    }

    /** What {@value #HAND_BACK}, else {@value #SHARED_CACHE}, says; null if neither is given. */
    private static Boolean handBackOption(ChannelOptions options) {
        String named = options.property(HAND_BACK, null);
        if (named != null) {
            return parseBoolean(HAND_BACK, named);
        }
        String shared = options.property(SHARED_CACHE, null);
        return shared != null ? parseBoolean(SHARED_CACHE, shared) : null;
    }

    private static boolean parseBoolean(String option, String value) {
        String t = value.trim();
        if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(option + " must be 'true' or 'false', not '" + value + "'");
        }
        return Boolean.parseBoolean(t);
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
        FlowControl flow = flowControlFor(options);
        boolean handBack = handBackFor(a, b, options);
        String batch = options.property(ACK_BATCH, null);
        int ackBatch;
        try {
            ackBatch = batch == null ? UrpcChannel.defaultAckBatch(options.slots()) : Integer.parseInt(batch.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ACK_BATCH + " must be an integer, not '" + batch + "'", e);
        }
        String spacing = options.property(SLOT_SPACING, null);
        return UrpcChannel.openPair(options.slots(), flow, ackBatch, handBack,
                spacing == null ? SlotSpacing.SPREAD : SlotSpacing.parse(spacing));
    }
}
