package io.flotilla.kernel;

import io.flotilla.channel.Channel;
import io.flotilla.channel.Endpoint;
import io.flotilla.kernel.intermon.IntermonMessage;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * How the monitors of a multikernel that spans several JVMs (nodes) reach the cores that run elsewhere. Given to
 * {@link Multikernel.Builder#intermon}; without one every core is local and monitors only use {@link Platform#post}.
 * The node runtime ({@code io.flotilla.kernel.node.Node}) implements it over {@code net} connections between nodes.
 *
 * <p>Every method may be called from any core's thread.
 */
public interface Intermon {

    /** Whether {@code core} runs in this JVM. */
    boolean isLocal(int core);

    /**
     * Sends {@code message} to the monitor of {@code toCore}, which runs on another node. Never blocks; a message
     * to a node that has left is dropped (the sender's time-out answers for it).
     */
    void send(int toCore, IntermonMessage message);

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

    /**
     * Whether the node running {@code core} runs on this node's host (same host identity), so that a urpc channel
     * in shared memory can join the two. False by default: every node counts as a host of its own.
     */
    default boolean sameHost(int core) {
        return false;
    }

    /**
     * Makes a urpc channel in a shared-memory file for a server on {@code core} whose peer runs on another node of
     * this host; the peer attaches with {@link #attachUrpc} given {@link UrpcOffer#file()}.
     *
     * @throws IOException if the file cannot be made, or urpc between nodes is not offered
     */
    default UrpcOffer offerUrpc(int core, int slots) throws IOException {
        throw new IOException("urpc between nodes is not offered");
    }

    /**
     * Attaches a client on {@code core} to the urpc channel file another node of this host offered, after checking
     * that {@code file} names a channel file of this host's channel directory (anything else is refused, and the
     * refusal logged); the file is deleted once attached. Completes off the core's thread.
     */
    default CompletableFuture<Channel> attachUrpc(int core, String file) {
        return CompletableFuture.failedFuture(new IOException("urpc between nodes is not offered"));
    }

    /**
     * Checks a urpc channel file name another node sent for a client on {@code core}, before anything is done with
     * it: null if it names a channel file of this host's channel directory, else why not (the node logs it).
     */
    default String checkUrpcFile(int core, String file) {
        return "urpc between nodes is not offered";
    }

    /** A urpc channel made by {@link #offerUrpc}: the file the peer attaches to, and this side's end. */
    interface UrpcOffer {
        /** The file's bare name, to send to the peer. */
        String file();

        /** This side's end; frames sent before the peer attaches wait in the ring. */
        Channel channel();

        /**
         * Deletes the file if the peer has not (it deletes it once attached).
         *
         * @return whether the file was still there, i.e. the peer never attached
         */
        boolean release();
    }

    /** A listener opened by {@link #listen}: where clients reach it, and the token they must name. */
    interface BindListener extends AutoCloseable {
        String host();

        int port();

        long token();

        /** Stops listening if no client has come; harmless after one has. */
        @Override
        void close();
    }
}
