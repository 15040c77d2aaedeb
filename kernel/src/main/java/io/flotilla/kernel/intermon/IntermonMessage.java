package io.flotilla.kernel.intermon;

/**
 * A message between monitors (or between the node runtimes that host them) that can cross a JVM: Barrelfish's
 * "intermon" protocol. Inside one JVM the monitors still talk through {@code Platform.post} closures; a message of
 * this type is built only when its addressee runs in another JVM. The frame layout is in {@link IntermonCodec}.
 *
 * <p>Two groups: the node protocol (membership and lifecycle: {@link Hello}, {@link View}, {@link Ready},
 * {@link Stop}, {@link Leave}), addressed to a node, and the monitor protocol (name service and binds), addressed to a core's
 * monitor. Every record validates its own fields, so a decoded message is always well formed.
 */
public sealed interface IntermonMessage {

    /** Longest service name, topology name or host, in UTF-8 bytes. */
    int MAX_NAME_BYTES = 255;
    /** Longest reason text (refusals, leaving), in UTF-8 bytes. */
    int MAX_REASON_BYTES = 1024;

    /** The type byte on the wire. */
    int type();

    /** Whether this is addressed to a core's monitor (else to the node). */
    default boolean forMonitor() {
        return type() >= IntermonCodec.REGISTER;
    }

    // ---- node protocol --------------------------------------------------------------------------------------------

    /**
     * A node's first message on a link: who it is and which cores of which machine it runs.
     *
     * @param node      the sender's node id
     * @param nodes     how many nodes the sender expects in the cluster
     * @param firstCore the first core the sender runs
     * @param lastCore  the last core the sender runs (inclusive)
     * @param pid       the sender's process id, for endpoints and logs
     * @param topology  the machine's name; every node must run the same machine
     * @param host      the host other nodes reach the sender at (bind listeners are opened there)
     * @param hostId    the identity of the operating system instance the sender runs on (boot id and host name),
     *                  or "" if unknown: two nodes with the same non-empty identity share memory and may use urpc
     */
    record Hello(int node, int nodes, int firstCore, int lastCore, long pid, String topology, String host,
            String hostId) implements IntermonMessage {
        public Hello {
            check(node >= 0 && node < 0xFFFF, "node id", node);
            check(nodes >= 1 && nodes <= 0xFFFF && node < nodes, "node count", nodes);
            check(firstCore >= 0 && lastCore >= firstCore, "core range", firstCore + "-" + lastCore);
            IntermonCodec.checkText(topology, "topology", MAX_NAME_BYTES, false);
            IntermonCodec.checkText(host, "host", MAX_NAME_BYTES, false);
            IntermonCodec.checkText(hostId, "host identity", MAX_NAME_BYTES, true);
            checkPrintable(hostId, "host identity");
        }

        /** A HELLO without a host identity: the sender counts as a host of its own. */
        public Hello(int node, int nodes, int firstCore, int lastCore, long pid, String topology, String host) {
            this(node, nodes, firstCore, lastCore, pid, topology, host, "");
        }

        @Override
        public int type() {
            return IntermonCodec.HELLO;
        }
    }

    /** The digest of the membership table the sender agreed to; every node must send the same one. */
    record View(long digest) implements IntermonMessage {
        @Override
        public int type() {
            return IntermonCodec.VIEW;
        }
    }

    /** The sender has booted its share of the multikernel: runs start together, once every node is ready. */
    record Ready() implements IntermonMessage {
        @Override
        public int type() {
            return IntermonCodec.READY;
        }
    }

    /** A dispatcher of the sender's node stopped the multikernel: every node stops running. */
    record Stop() implements IntermonMessage {
        @Override
        public int type() {
            return IntermonCodec.STOP;
        }
    }

    /** The sender is leaving the cluster (its run ended); its cores answer nothing more. */
    record Leave(String reason) implements IntermonMessage {
        public Leave {
            IntermonCodec.checkText(reason, "reason", MAX_REASON_BYTES, true);
        }

        @Override
        public int type() {
            return IntermonCodec.LEAVE;
        }
    }

    // ---- monitor protocol -----------------------------------------------------------------------------------------

    /** To the name-service core: {@code name} now means {@code iref}. */
    record Register(int iref, String name) implements IntermonMessage {
        public Register {
            check(iref > 0, "iref", iref);
            IntermonCodec.checkText(name, "name", MAX_NAME_BYTES, false);
        }

        @Override
        public int type() {
            return IntermonCodec.REGISTER;
        }
    }

    /** To the name-service core: {@code name} no longer means {@code iref}. */
    record Deregister(int iref, String name) implements IntermonMessage {
        public Deregister {
            check(iref > 0, "iref", iref);
            IntermonCodec.checkText(name, "name", MAX_NAME_BYTES, false);
        }

        @Override
        public int type() {
            return IntermonCodec.DEREGISTER;
        }
    }

    /** To the name-service core: answer {@code askingCore} with the iref of {@code name}, when there is one. */
    record Resolve(long request, int askingCore, String name) implements IntermonMessage {
        public Resolve {
            check(askingCore >= 0, "asking core", askingCore);
            IntermonCodec.checkText(name, "name", MAX_NAME_BYTES, false);
        }

        @Override
        public int type() {
            return IntermonCodec.RESOLVE;
        }
    }

    /** To the asking core: the answer to {@link Resolve} {@code request}. */
    record Resolved(long request, int iref) implements IntermonMessage {
        public Resolved {
            check(iref > 0, "iref", iref);
        }

        @Override
        public int type() {
            return IntermonCodec.RESOLVED;
        }
    }

    /**
     * To the server's core: {@code clientCore} asks to bind to {@code iref}; {@code name} is the name the client
     * looked up ("" if it bound by iref), which the server checks against what the iref exports now.
     */
    record BindRequest(long request, int clientCore, int iref, String name) implements IntermonMessage {
        public BindRequest {
            check(clientCore >= 0, "client core", clientCore);
            check(iref > 0, "iref", iref);
            IntermonCodec.checkText(name, "name", MAX_NAME_BYTES, true);
        }

        @Override
        public int type() {
            return IntermonCodec.BIND_REQUEST;
        }
    }

    /**
     * To the client's core: the channel coordinates of a bind the server will take: a {@code net} listener at
     * {@code host:port} that admits the handshake naming {@code token} (and the cluster secret).
     */
    record BindOffer(long request, String host, int port, long token) implements IntermonMessage {
        public BindOffer {
            IntermonCodec.checkText(host, "host", MAX_NAME_BYTES, false);
            check(port > 0 && port <= 0xFFFF, "port", port);
        }

        @Override
        public int type() {
            return IntermonCodec.BIND_OFFER;
        }
    }

    /** To the client's core: the server accepted the connection ({@code ok}) or refused it, saying why. */
    record BindReply(long request, boolean ok, String reason) implements IntermonMessage {
        public BindReply {
            IntermonCodec.checkText(reason, "reason", MAX_REASON_BYTES, true);
        }

        @Override
        public int type() {
            return IntermonCodec.BIND_REPLY;
        }
    }

    /**
     * To the client's core: the server accepted the bind and made a {@code urpc} channel in the shared-memory file
     * {@code file} (a bare name in the channel directory of the host both nodes run on); the client attaches to it.
     */
    record BindUrpc(long request, String file) implements IntermonMessage {
        public BindUrpc {
            IntermonCodec.checkText(file, "file", MAX_NAME_BYTES, false);
        }

        @Override
        public int type() {
            return IntermonCodec.BIND_URPC;
        }
    }

    /**
     * To the server's core: the client asks to move the binding of its bind {@code bind} onto a new channel of
     * {@code transport}; {@code swap} is the client's number for this swap.
     */
    record SwapRequest(long bind, int clientCore, long swap, String transport) implements IntermonMessage {
        public SwapRequest {
            check(clientCore >= 0, "client core", clientCore);
            IntermonCodec.checkText(transport, "transport", MAX_NAME_BYTES, false);
        }

        @Override
        public int type() {
            return IntermonCodec.SWAP_REQUEST;
        }
    }

    /**
     * To the client's core: its end of the new channel of swap {@code swap} is a {@code net} connection to
     * {@code host:port} naming {@code token}; {@code clientAsked} says whose number {@code swap} is.
     */
    record SwapNet(long bind, int serverCore, long swap, boolean clientAsked, String host, int port, long token)
            implements IntermonMessage {
        public SwapNet {
            check(serverCore >= 0, "server core", serverCore);
            IntermonCodec.checkText(host, "host", MAX_NAME_BYTES, false);
            check(port > 0 && port <= 0xFFFF, "port", port);
        }

        @Override
        public int type() {
            return IntermonCodec.SWAP_NET;
        }
    }

    /** To the client's core: its end of the new channel of swap {@code swap} is side B of the urpc file {@code file}. */
    record SwapUrpc(long bind, int serverCore, long swap, boolean clientAsked, String file)
            implements IntermonMessage {
        public SwapUrpc {
            check(serverCore >= 0, "server core", serverCore);
            IntermonCodec.checkText(file, "file", MAX_NAME_BYTES, false);
        }

        @Override
        public int type() {
            return IntermonCodec.SWAP_URPC;
        }
    }

    /**
     * Between the two ends' cores: {@code fromCore}'s end has switched to the new channel of swap {@code swap}
     * ({@code ok}), or the swap failed there for {@code reason} and neither end switches.
     */
    record SwapDone(long bind, int clientCore, int fromCore, long swap, boolean clientAsked, boolean ok,
            String reason) implements IntermonMessage {
        public SwapDone {
            check(clientCore >= 0, "client core", clientCore);
            check(fromCore >= 0, "sending core", fromCore);
            IntermonCodec.checkText(reason, "reason", MAX_REASON_BYTES, true);
        }

        @Override
        public int type() {
            return IntermonCodec.SWAP_DONE;
        }
    }

    /** Identities and file names end up in logs and paths: no control characters. */
    private static void checkPrintable(String s, String field) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IntermonException(field + " has a control character at " + i);
            }
        }
    }

    private static void check(boolean ok, String field, Object value) {
        if (!ok) {
            throw new IntermonException("invalid " + field + ": " + value);
        }
    }
}
