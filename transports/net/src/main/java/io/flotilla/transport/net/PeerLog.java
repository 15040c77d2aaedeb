package io.flotilla.transport.net;

import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a side (a server, or a transport's clients) logs why it closed a connection. Every message names the
 * peer's address, as DESIGN.md's "frames from the network are validated; errors name the peer" asks; the count and
 * the last reason are kept so that tests and operators can see refusals without scraping logs.
 */
final class PeerLog {

    static final System.Logger LOG = System.getLogger("io.flotilla.transport.net");

    private final String side;
    private final AtomicLong refusals = new AtomicLong();
    private volatile String lastRefusal;

    PeerLog(String side) {
        this.side = side;
    }

    /** Logs {@code reason} for a connection closed because of what the peer sent (or failed to send), and closes it. */
    void refuse(Channel connection, String reason) {
        record(connection, reason);
        connection.close();
    }

    /** Logs and counts a refusal whose connection the caller closes itself (after a farewell record). */
    void record(Channel connection, String reason) {
        String line = side + ": closing connection with " + connection.remoteAddress() + ": " + reason;
        refusals.incrementAndGet();
        lastRefusal = line;
        LOG.log(Level.WARNING, line);
    }

    /** Logs an ordinary event on a connection (reconnects, peer goodbyes). */
    void info(Channel connection, String what) {
        LOG.log(Level.DEBUG, () -> side + ": " + connection.remoteAddress() + ": " + what);
    }

    /** Which side logs here ("net server", "net client"), for lines logged elsewhere. */
    String side() {
        return side;
    }

    long refusals() {
        return refusals.get();
    }

    String lastRefusal() {
        return lastRefusal;
    }
}
