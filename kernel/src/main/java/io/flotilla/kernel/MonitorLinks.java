package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.binding.BindingException;
import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.TransportSelector;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.kernel.intermon.Intermon;
import io.flotilla.kernel.intermon.IntermonDecoder;
import io.flotilla.kernel.intermon.IntermonHandler;
import io.flotilla.kernel.intermon.IntermonStub;
import java.util.HashMap;
import java.util.Map;

/**
 * One monitor's bindings to the other monitors, made on first use: the only way a monitor reaches another core.
 *
 * <ul>
 *   <li><b>Another core of this JVM</b>: this core opens a channel on the transport the selector names for the two
 *   cores (urpc on {@code pinned}, a modelled channel on {@code sim}), keeps one end, deposits the other in the
 *   {@link ChannelTable} and rings the peer's doorbell ({@link Platform#ring}) with the deposit's number; the peer's
 *   monitor collects the end ({@link #arrived}). Both ends then carry {@code intermon} messages both ways. If both
 *   cores open a link at once there are two; each sends on the one it made and hears on both.</li>
 *   <li><b>This core</b>: an lrpc channel whose two ends are both this monitor's, so a monitor that is its own
 *   name service or its own client's server sends itself messages like any other (and, on {@code sim}, pays what
 *   an lrpc message costs).</li>
 *   <li><b>A core of another node</b>: the node runtime's {@linkplain Internode#outbound outbound} channel for the
 *   pair; what remote monitors send arrives on this core's {@linkplain Internode#inbox inbox}, one
 *   {@link InternodeRoute route frame} before each message, which {@link Inbox} checks.</li>
 * </ul>
 *
 * Links are kept by core number in a map that is looked up, never iterated (deterministic on {@code sim}); a
 * monitor of a 1024-core mesh holds links only to the cores it has spoken with.
 */
final class MonitorLinks {

    private final int core;
    private final CpuDriver driver;
    private final Multikernel kernel;
    private final IntermonHandler handler;
    private final Map<Integer, IntermonStub> links = new HashMap<>();
    private ChannelOptions options;
    /** The core whose route frame came last on the inbox, while its message is being handled; else NO_ROUTE. */
    private int routedFrom = NO_ROUTE;

    static final int NO_ROUTE = Integer.MIN_VALUE;

    MonitorLinks(CpuDriver driver, Multikernel kernel, IntermonHandler handler) {
        this.core = driver.core();
        this.driver = driver;
        this.kernel = kernel;
        this.handler = handler;
    }

    /** The stub that reaches the monitor of {@code peer}, made now if this monitor has not spoken to it before. */
    IntermonStub to(int peer) {
        IntermonStub stub = links.get(peer);
        if (stub == null) {
            stub = open(peer);
            links.put(peer, stub);
        }
        return stub;
    }

    private IntermonStub open(int peer) {
        Platform platform = kernel.platform();
        if (!kernel.isLocal(peer)) {
            return attach(kernel.internode().outbound(core, peer));
        }
        if (peer == core) {
            ChannelPair self = platform.open(core, core, TransportSelector.LRPC, options());
            attach(self.right());
            return attach(self.left());
        }
        String transport = kernel.selector().select(platform.endpoint(core), platform.endpoint(peer));
        ChannelPair pair = platform.open(core, peer, transport, options());
        IntermonStub stub = attach(pair.left());
        platform.ring(core, peer, kernel.channels().deposit(peer, pair.right()));
        return stub;
    }

    /** The doorbell rang: {@code from} opened a link to this monitor and left its end under {@code deposit}. */
    void arrived(int from, long deposit) {
        Channel end = kernel.channels().collect(core, deposit);
        if (end == null) {
            throw new IllegalStateException("core " + from + " rang core " + core + " for monitor channel " + deposit
                    + ", which is not waiting for this core");
        }
        IntermonStub stub = attach(end);
        links.putIfAbsent(from, stub);
    }

    /** Starts hearing the node runtime's inbox: every message other nodes' monitors send this core. */
    void hearInbox(Channel inbox) {
        Binding b = new Binding(inbox);
        IntermonStub unused = new IntermonStub(b); // the decoder answers no rpcs: intermon has only messages
        Inbox gate = new Inbox(new IntermonDecoder(b, handler, unused));
        // A well-framed message whose content the decoder refuses came from a peer node, not from this core: one
        // line naming the peer, the message dropped, the monitor goes on (the node runtime checked the framing).
        b.setErrorHandler(e -> Monitor.LOG.log(System.Logger.Level.WARNING, "core " + core + ": dropped a monitor "
                + "message from " + sender(gate.from) + ": " + e.getMessage()));
        b.setReceiver(gate);
        driver.register(b, inbox, null, null);
    }

    /**
     * Checks that a message heard on the inbox speaks for the core its route frame named (a node may speak only for
     * its own cores, and the node runtime checked the route). Messages from this JVM's monitors pass.
     */
    boolean speaksFor(int claimed) {
        return routedFrom == NO_ROUTE || routedFrom == claimed;
    }

    /** Whether the message being handled came from the node runtime itself rather than a monitor. */
    boolean fromNode() {
        return routedFrom == InternodeRoute.NODE;
    }

    /** The options of a monitor's links: the kernel's, marked as the kernel's own (kept out of the metrics). */
    private ChannelOptions options() {
        if (options == null) {
            options = kernel.channelOptions().forKernel();
        }
        return options;
    }

    private IntermonStub attach(Channel end) {
        Binding b = new Binding(end);
        b.setErrorHandler(e -> {
            throw e; // a monitor's broken link is its core's failure: the CpuDriver reports it, once
        });
        IntermonStub stub = Intermon.bind(b, handler);
        driver.register(b, end, null, null);
        return stub;
    }

    private String sender(int from) {
        return from == InternodeRoute.NODE ? "this node's runtime" : from == NO_ROUTE ? "another node"
                : kernel.internode().describe(from);
    }

    /** The inbox's receiver: a route frame, then the frames of one message, which go to the decoder. */
    private final class Inbox implements FrameHandler {
        private final IntermonDecoder decoder;
        private int from = NO_ROUTE;
        private int left;

        Inbox(IntermonDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void onFrame(FrameReader frame) {
            if (left == 0) {
                String wrong = InternodeRoute.check(frame, kernel.coreCount());
                if (wrong != null) {
                    throw new BindingException("core " + core + "'s inbox: " + wrong);
                }
                if (InternodeRoute.to(frame) != core) {
                    throw new BindingException("core " + core + "'s inbox got a message routed to core "
                            + InternodeRoute.to(frame));
                }
                from = InternodeRoute.from(frame);
                left = InternodeRoute.frames(frame);
                return;
            }
            if (InternodeRoute.isRoute(frame.control())) {
                throw new BindingException("core " + core + "'s inbox: a route frame inside a message from "
                        + kernel.internode().describe(from));
            }
            left--;
            routedFrom = from;
            try {
                decoder.onFrame(frame);
            } catch (BindingException e) {
                Monitor.LOG.log(System.Logger.Level.WARNING, "core " + core + ": dropped a monitor message from "
                        + sender(from) + ": " + e.getMessage());
            } finally {
                routedFrom = NO_ROUTE;
            }
        }
    }
}
