package io.flotilla.kernel.node;

import io.flotilla.transport.net.NetConfig;
import java.time.Duration;

/**
 * How a link between two nodes is set up: the wire version both must speak, and the net transport's settings that
 * decide when a dead or silent peer is lost. The links detect one within {@link Node#DETECTION_BOUND}: a quiet link
 * carries a heartbeat every second, and a link on which nothing (not even a heartbeat) arrived for
 * {@link #LINK_IDLE_TIMEOUT} is cut; a cut link is redialled twice (a brief network cut heals without the nodes
 * noticing) and, on the listening side, kept for its dialler to resume for {@link #LINK_RESUME_WINDOW}; past that the
 * peer is lost. A peer whose process dies is usually seen at once (its system resets the connection), so within the
 * resume window.
 */
final class LinkConfig {

    /**
     * The version of what travels on a link between nodes: 3 is routed messages of generated interfaces
     * ({@code intermon.if}, {@code membership.if}); 2 was the hand-written intermon codec. Nodes of different
     * versions refuse each other in the handshake.
     */
    static final int WIRE_VERSION = 3;
    /** The interface name every link's handshake names; the fingerprint carries the wire version. */
    static final String INTERFACE = "flotilla.intermon";
    static final long FINGERPRINT = 0x464C_4F54_494D_0000L | WIRE_VERSION;

    /** A link on which nothing arrives for this long is cut; heartbeats go out at a third of it. */
    static final Duration LINK_IDLE_TIMEOUT = Duration.ofSeconds(3);
    /** How long the listening side keeps a cut link for its peer to redial and resume it. */
    static final Duration LINK_RESUME_WINDOW = Duration.ofSeconds(3);
    /** Redials of a cut link by the dialling side, each bounded by {@link #LINK_HANDSHAKE_TIMEOUT}. */
    static final int LINK_REDIALS = 2;
    /** A link's connect and handshake must finish within this (a partitioned peer does not answer at all). */
    static final Duration LINK_HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

    private LinkConfig() {}

    /** The settings of every link between nodes, which prove {@code secret}. */
    static NetConfig of(byte[] secret) {
        return NetConfig.builder(secret, INTERFACE, FINGERPRINT)
                .idleTimeout(LINK_IDLE_TIMEOUT)
                .handshakeTimeout(LINK_HANDSHAKE_TIMEOUT)
                .reconnectAttempts(LINK_REDIALS)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .sessionLinger(LINK_RESUME_WINDOW)
                .closeLinger(Duration.ofSeconds(2))
                .build();
    }
}
