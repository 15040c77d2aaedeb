package io.flotilla.transport.net;

import io.flotilla.binding.InterfaceDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one end of a {@code net} channel needs to know: the cluster secret it proves, the interface it speaks, and
 * the sizes and timeouts that bound its memory and its patience. Immutable; build with {@link #builder}.
 *
 * <p>The two ends need the same secret, interface name and fingerprint. Ring sizes and batch limits may differ:
 * each end announces its own in the handshake and a sender keeps within the smaller of its own and its peer's.
 */
public final class NetConfig {

    /** Longest interface name, in UTF-8 bytes, that the handshake carries. */
    public static final int MAX_INTERFACE_NAME_BYTES = 255;
    /** Largest ring a peer may announce; bounds what a peer can make this end allocate. */
    public static final int MAX_RING_FRAMES = 1 << 20;
    /** Largest batch limit a peer may announce (4 MiB of frames). */
    public static final int MAX_BATCH_FRAMES = 1 << 16;

    private final byte[] clusterSecret;
    private final String interfaceName;
    private final long fingerprint;
    private final int ringFrames;
    private final int maxBatchFrames;
    private final Duration handshakeTimeout;
    private final Duration idleTimeout;
    private final Duration ackDelay;
    private final int reconnectAttempts;
    private final Duration reconnectBackoffMin;
    private final Duration reconnectBackoffMax;
    private final Duration sessionLinger;
    private final Duration closeLinger;
    private final int maxConnections;

    private NetConfig(Builder b) {
        this.clusterSecret = b.clusterSecret.clone();
        this.interfaceName = b.interfaceName;
        this.fingerprint = b.fingerprint;
        this.ringFrames = b.ringFrames;
        this.maxBatchFrames = b.maxBatchFrames;
        this.handshakeTimeout = b.handshakeTimeout;
        this.idleTimeout = b.idleTimeout;
        this.ackDelay = b.ackDelay;
        this.reconnectAttempts = b.reconnectAttempts;
        this.reconnectBackoffMin = b.reconnectBackoffMin;
        this.reconnectBackoffMax = b.reconnectBackoffMax;
        this.sessionLinger = b.sessionLinger;
        this.closeLinger = b.closeLinger;
        this.maxConnections = b.maxConnections;
    }

    /** A builder for an end that speaks {@code iface} and proves {@code clusterSecret} (copied). */
    public static Builder builder(byte[] clusterSecret, InterfaceDescriptor iface) {
        return new Builder(clusterSecret, iface.name(), iface.fingerprint());
    }

    /** The same, naming the interface by name and fingerprint. */
    public static Builder builder(byte[] clusterSecret, String interfaceName, long fingerprint) {
        return new Builder(clusterSecret, interfaceName, fingerprint);
    }

    byte[] clusterSecret() {
        return clusterSecret;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public long fingerprint() {
        return fingerprint;
    }

    /** Frames per direction this end buffers: its send window and its receive ring. */
    public int ringFrames() {
        return ringFrames;
    }

    /** Most frames this end puts in one batch, and accepts in one batch from its peer. */
    public int maxBatchFrames() {
        return maxBatchFrames;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** A connection on which nothing arrives for this long is closed; heartbeats go out at a third of it. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Longest a consumed frame waits before a standalone acknowledgement goes out for it. */
    public Duration ackDelay() {
        return ackDelay;
    }

    /** Reconnect attempts after a lost connection before the client gives the channel up. */
    public int reconnectAttempts() {
        return reconnectAttempts;
    }

    public Duration reconnectBackoffMin() {
        return reconnectBackoffMin;
    }

    public Duration reconnectBackoffMax() {
        return reconnectBackoffMax;
    }

    /** How long a server keeps a disconnected session for its client to resume. */
    public Duration sessionLinger() {
        return sessionLinger;
    }

    /**
     * How long a closed channel keeps its session alive (reconnecting, resending) for the peer to acknowledge every
     * frame published before {@link NetChannel#close()}; past it the channel ends and reports the frames not
     * confirmed delivered.
     */
    public Duration closeLinger() {
        return closeLinger;
    }

    /**
     * Most connections a server of this configuration holds at once, handshaking or open; one more is closed as
     * soon as it is accepted (and counted as a refusal), so a flood of connections cannot use up this process's
     * file descriptors.
     */
    public int maxConnections() {
        return maxConnections;
    }

    @Override
    public String toString() {
        return "NetConfig[interface=" + interfaceName + ", fingerprint=" + Long.toHexString(fingerprint)
                + ", ringFrames=" + ringFrames + ", maxBatchFrames=" + maxBatchFrames + "]";
    }

    /** Builds a {@link NetConfig}; every setting but the secret and the interface has a default. */
    public static final class Builder {
        private final byte[] clusterSecret;
        private final String interfaceName;
        private final long fingerprint;
        private int ringFrames = 1024;
        private int maxBatchFrames = 256;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofSeconds(15);
        private Duration ackDelay = Duration.ofMillis(1);
        private int reconnectAttempts = 10;
        private Duration reconnectBackoffMin = Duration.ofMillis(10);
        private Duration reconnectBackoffMax = Duration.ofSeconds(1);
        private Duration sessionLinger = Duration.ofSeconds(30);
        private Duration closeLinger = Duration.ofSeconds(5);
        private int maxConnections = 256;

        private Builder(byte[] clusterSecret, String interfaceName, long fingerprint) {
            Objects.requireNonNull(clusterSecret, "clusterSecret");
            if (clusterSecret.length == 0) {
                throw new IllegalArgumentException("the cluster secret must not be empty");
            }
            Objects.requireNonNull(interfaceName, "interfaceName");
            int nameBytes = interfaceName.getBytes(StandardCharsets.UTF_8).length;
            if (nameBytes == 0 || nameBytes > MAX_INTERFACE_NAME_BYTES) {
                throw new IllegalArgumentException(
                        "interface name must be 1.." + MAX_INTERFACE_NAME_BYTES + " UTF-8 bytes: " + interfaceName);
            }
            this.clusterSecret = Arrays.copyOf(clusterSecret, clusterSecret.length);
            this.interfaceName = interfaceName;
            this.fingerprint = fingerprint;
        }

        /** Frames per direction: a power of two from 2 to {@link #MAX_RING_FRAMES}. Default 1024. */
        public Builder ringFrames(int frames) {
            if (frames < 2 || frames > MAX_RING_FRAMES || Integer.bitCount(frames) != 1) {
                throw new IllegalArgumentException("ringFrames must be a power of two in 2.." + MAX_RING_FRAMES
                        + ": " + frames);
            }
            this.ringFrames = frames;
            return this;
        }

        /** Frames per batch, 1 to {@link #MAX_BATCH_FRAMES}. Default 256 (16 KiB). */
        public Builder maxBatchFrames(int frames) {
            if (frames < 1 || frames > MAX_BATCH_FRAMES) {
                throw new IllegalArgumentException("maxBatchFrames must be in 1.." + MAX_BATCH_FRAMES + ": " + frames);
            }
            this.maxBatchFrames = frames;
            return this;
        }

        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = positive(d, "handshakeTimeout");
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        public Builder ackDelay(Duration d) {
            this.ackDelay = positive(d, "ackDelay");
            return this;
        }

        /** Attempts after a lost connection, 0 or more; 0 means a lost connection closes the channel. */
        public Builder reconnectAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("reconnectAttempts must be >= 0: " + attempts);
            }
            this.reconnectAttempts = attempts;
            return this;
        }

        /** Backoff before the first attempt, doubling per attempt up to {@code max}. */
        public Builder reconnectBackoff(Duration min, Duration max) {
            positive(min, "reconnectBackoff min");
            positive(max, "reconnectBackoff max");
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("reconnectBackoff max < min: " + max + " < " + min);
            }
            this.reconnectBackoffMin = min;
            this.reconnectBackoffMax = max;
            return this;
        }

        public Builder sessionLinger(Duration d) {
            this.sessionLinger = positive(d, "sessionLinger");
            return this;
        }

        /** Longest a {@link NetChannel#close()} waits for the peer to acknowledge what was published. Default 5 s. */
        public Builder closeLinger(Duration d) {
            this.closeLinger = positive(d, "closeLinger");
            return this;
        }

        /** Connections a server holds at once, 1 or more. Default 256: under the usual limit of 1024 files. */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1: " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        public NetConfig build() {
            return new NetConfig(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
