package io.flotilla.kernel.node;

import io.flotilla.machine.Machine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one node of a multikernel spanning several JVMs needs to know: its id, every node's address, the cluster
 * secret, the machine, and which of its cores this node runs. Immutable; every value is checked when it is built,
 * and the parse helpers turn command-line text into values with messages that name the flag and the bad part.
 *
 * @param id         this node's id: its index in {@code peers}
 * @param peers      every node's address, in id order, this node's own included (it is where others reach it)
 * @param listenPort the port this node listens on; its own entry's port unless overridden (0: any free port)
 * @param secret     the cluster secret every node proves in the net handshake
 * @param machine    the machine the multikernel runs; every node names the same one
 * @param firstCore  the first core this node runs
 * @param lastCore   the last core this node runs (inclusive)
 * @param joinTimeout how long {@link Node#start} waits for every node to join and agree on the membership
 * @param hostId     this node's host identity ({@link HostIdentity#local()} unless overridden; "" for none): nodes
 *                   with the same non-empty identity share memory, so a bind between them may run over urpc
 * @param sameHostUrpc whether a bind between nodes of one host gets urpc (the locality rule "same machine: urpc");
 *                   false keeps every bind between nodes on net (a swap to urpc may still be asked for)
 */
public record NodeConfig(int id, List<InetSocketAddress> peers, int listenPort, byte[] secret, Machine machine,
        int firstCore, int lastCore, Duration joinTimeout, String hostId, boolean sameHostUrpc) {

    /** A config with this host's identity and urpc between nodes of one host. */
    public NodeConfig(int id, List<InetSocketAddress> peers, int listenPort, byte[] secret, Machine machine,
            int firstCore, int lastCore, Duration joinTimeout) {
        this(id, peers, listenPort, secret, machine, firstCore, lastCore, joinTimeout, HostIdentity.local(), true);
    }

    /** Most nodes in one cluster. */
    public static final int MAX_NODES = 64;

    public NodeConfig {
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(joinTimeout, "joinTimeout");
        Objects.requireNonNull(hostId, "hostId");
        HostIdentity.check(hostId);
        peers = List.copyOf(peers);
        secret = secret.clone();
        if (peers.isEmpty() || peers.size() > MAX_NODES) {
            throw new IllegalArgumentException("--peers must list 1.." + MAX_NODES + " nodes, not " + peers.size());
        }
        if (id < 0 || id >= peers.size()) {
            throw new IllegalArgumentException("--id " + id + " is not a node of --peers (ids 0.."
                    + (peers.size() - 1) + ", in the order the addresses are listed)");
        }
        if (listenPort < 0 || listenPort > 0xFFFF) {
            throw new IllegalArgumentException("--listen port must be 0..65535: " + listenPort);
        }
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cluster secret must be at least 16 bytes, not " + secret.length);
        }
        if (firstCore < 0 || lastCore < firstCore || lastCore >= machine.coreCount()) {
            throw new IllegalArgumentException("--cores " + firstCore + "-" + lastCore + " is not a range of "
                    + machine.name() + "'s cores 0.." + (machine.coreCount() - 1));
        }
        if (joinTimeout.isNegative() || joinTimeout.isZero()) {
            throw new IllegalArgumentException("join timeout must be positive: " + joinTimeout);
        }
    }

    /** A config whose node listens on its own entry's port and waits 30 s for the others. */
    public static NodeConfig of(int id, List<InetSocketAddress> peers, byte[] secret, Machine machine, int firstCore,
            int lastCore) {
        return new NodeConfig(id, peers, peers.get(id).getPort(), secret, machine, firstCore, lastCore,
                Duration.ofSeconds(30));
    }

    /** This config with another host identity ("": none, so this node shares memory with no other). */
    public NodeConfig withHostId(String id) {
        return new NodeConfig(this.id, peers, listenPort, secret, machine, firstCore, lastCore, joinTimeout, id,
                sameHostUrpc);
    }

    /** This config with binds between nodes of one host on urpc ({@code true}) or always on net. */
    public NodeConfig withSameHostUrpc(boolean urpc) {
        return new NodeConfig(id, peers, listenPort, secret, machine, firstCore, lastCore, joinTimeout, hostId, urpc);
    }

    /** Node {@code n}'s address as --peers gave it, for messages: "host:port". */
    String address(int n) {
        InetSocketAddress a = peers.get(n);
        return a.getHostString() + ":" + a.getPort();
    }

    /** This node's own address, as the others reach it. */
    public InetSocketAddress self() {
        return peers.get(id);
    }

    public int nodes() {
        return peers.size();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "node " + id + " of " + peers + ", cores " + firstCore + "-" + lastCore + " of " + machine.name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeConfig c && c.id == id && c.peers.equals(peers) && c.listenPort == listenPort
                && Arrays.equals(c.secret, secret) && c.machine == machine && c.firstCore == firstCore
                && c.lastCore == lastCore && c.joinTimeout.equals(joinTimeout) && c.hostId.equals(hostId)
                && c.sameHostUrpc == sameHostUrpc;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, peers, listenPort, firstCore, lastCore);
    }

    /**
     * Parses {@code host:port,host:port,...} (unresolved, so that a node can start before the others' names
     * resolve).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<InetSocketAddress> parsePeers(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--peers is empty; give every node's host:port, in id order");
        }
        List<InetSocketAddress> out = new ArrayList<>();
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException("--peers entry " + (i + 1) + " '" + p + "' is not host:port");
            }
            String host = p.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--peers entry " + (i + 1) + " '" + p + "' has a port that is not "
                        + "a number");
            }
            if (port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException("--peers entry " + (i + 1) + " '" + p + "' has port " + port
                        + ", not 1..65535");
            }
            InetSocketAddress a = InetSocketAddress.createUnresolved(host, port);
            if (out.contains(a)) {
                throw new IllegalArgumentException("--peers lists " + p + " twice");
            }
            out.add(a);
        }
        return out;
    }

    /**
     * Parses {@code A-B} or {@code A} into {first, last}.
     *
     * @throws IllegalArgumentException naming the text
     */
    public static int[] parseCores(String text) {
        String t = text == null ? "" : text.trim();
        try {
            int dash = t.indexOf('-');
            int first = Integer.parseInt(dash < 0 ? t : t.substring(0, dash).trim());
            int last = dash < 0 ? first : Integer.parseInt(t.substring(dash + 1).trim());
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("--cores '" + text + "' is not a range A-B with 0 <= A <= B");
            }
            return new int[] {first, last};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cores '" + text + "' is not a core range such as 0-1 or 2");
        }
    }

    /** Largest secret file read: far more than any secret, far less than memory. */
    public static final int MAX_SECRET_FILE_BYTES = 4096;

    /**
     * Reads a secret file (at most {@link #MAX_SECRET_FILE_BYTES}): its bytes, less surrounding whitespace (so
     * that {@code echo secret > file} works).
     *
     * @throws IllegalArgumentException naming the file if it cannot be read or is too short
     */
    public static byte[] readSecret(Path file) {
        byte[] raw;
        try (InputStream in = Files.newInputStream(file)) {
            // Bounded: the size a file system reports is not trusted (/dev/zero reports 0 and never ends).
            raw = in.readNBytes(MAX_SECRET_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("--secret-file " + file + " cannot be read: " + e.getMessage());
        }
        if (raw.length > MAX_SECRET_FILE_BYTES) {
            throw new IllegalArgumentException("--secret-file " + file + " holds more than " + MAX_SECRET_FILE_BYTES
                    + " bytes; a secret file holds one secret (is it the right file?)");
        }
        int from = 0;
        int to = raw.length;
        while (from < to && Character.isWhitespace(raw[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(raw[to - 1])) {
            to--;
        }
        if (to - from < 16) {
            throw new IllegalArgumentException("--secret-file " + file + " holds " + (to - from)
                    + " bytes of secret; at least 16 are needed");
        }
        return Arrays.copyOfRange(raw, from, to);
    }
}
