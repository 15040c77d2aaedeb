package io.flotilla.kernel;

import io.flotilla.channel.Channel;
import io.flotilla.channel.Endpoint;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * How the monitors of a multikernel that spans several JVMs (nodes) reach the monitors that run elsewhere. Given to
 * {@link Multikernel.Builder#internode}; without one every core is local. The node runtime
 * ({@code io.flotilla.kernel.node.Node}) implements it over {@code net} links between nodes.
 *
 * <p>Monitors speak one protocol, {@code intermon.if}, to local and remote monitors alike, through generated stubs
 * on ordinary bindings. For a remote monitor the binding's channel is split in two: {@link #outbound} carries this
 * core's messages to one remote core, and {@link #inbox} brings every remote core's messages to this core. The node
 * runtime is a switch between them: it never decodes a monitor message, it routes it whole.
 *
 * <p><b>Framing on an inbox.</b> Each message arrives as one {@linkplain InternodeRoute route frame} naming the
 * sending core, followed by the message's own frames, unchanged and contiguous. The node has checked that the sending
 * core runs on the node whose link the message came over; the monitor checks that the message speaks only for that
 * core. A route frame naming core {@link InternodeRoute#NODE} carries messages of the node runtime itself to this
 * core's monitor (cores lost).
 *
 * <p>Every method may be called from any core's thread unless it says otherwise.
 */
public interface Internode {

    /** Whether {@code core} runs in this JVM. */
    boolean isLocal(int core);

    /**
     * The channel on which local core {@code core}'s monitor sends intermon messages to the monitor of
     * {@code remoteCore}. Send-only: its poll finds nothing. Called once per pair, on {@code core}'s thread; the
     * channel is used from that thread only. A message sent after the remote node has gone is dropped: the sender's
     * time-out, or {@link InternodeRoute#NODE}'s cores-lost message, answers for it.
     */
    Channel outbound(int core, int remoteCore);

    /** Where monitor messages from other nodes reach local core {@code core}: polled on that core's thread. */
    Channel inbox(int core);

    /** Where a channel end on {@code core} lives, local or not, as the transport selector sees it. */
    Endpoint endpoint(int core);

    /** "core 3 (node 1)": for messages that name a remote core. */
    String describe(int core);

    /**
     * Opens a one-bind {@code net} listener for a server on {@code core}: the first client that proves the cluster
     * secret and names the listener's token gets a channel, whose server end goes to {@code accepted} (on a network
     * thread: hand it on, do not block). The listener closes with that channel, or with {@link BindListener#close()}.
     */
    BindListener listen(int core, Consumer<Channel> accepted) throws IOException;

    /** Connects a client on {@code core} to a listener another node offered; completes on a network thread. */
    CompletableFuture<Channel> connect(int core, String host, int port, long token);

    /** Tells every other node to stop running (a dispatcher called {@link Dispatcher#stopKernel()}). */
    void stopAll();

    /** Whether the node running {@code core} runs on this node's host, so that urpc in shared memory joins them. */
    default boolean sameHost(int core) {
        return false;
    }

    /** Makes a urpc channel file for a server on {@code core} whose peer runs on another node of this host. */
    default UrpcOffer offerUrpc(int core, int slots) throws IOException {
        throw new IOException("urpc between nodes is not offered");
    }

    /** Attaches a client on {@code core} to a urpc channel file another node of this host offered. */
    default CompletableFuture<Channel> attachUrpc(int core, String file) {
        return CompletableFuture.failedFuture(new IOException("urpc between nodes is not offered"));
    }

    /** Null if {@code file} names a channel file of this host's channel directory, else why not. */
    default String checkUrpcFile(int core, String file) {
        return "urpc between nodes is not offered";
    }

    /** A urpc channel made by {@link #offerUrpc}. */
    interface UrpcOffer {
        String file();

        Channel channel();

        boolean release();
    }

    /** A listener opened by {@link #listen}. */
    interface BindListener extends AutoCloseable {
        String host();

        int port();

        long token();

        @Override
        void close();
    }
}
