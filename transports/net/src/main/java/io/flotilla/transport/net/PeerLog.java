package io.flotilla.transport.net;

import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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

    /**
     * Logs and counts a refusal whose connection the caller closes itself (after a farewell record). At most
     * {@value #LINES_PER_WINDOW} lines a second are logged one by one; the rest of that second's refusals are
     * counted and summed up in one line when it ends, so a flood of connections costs a line a second, not a line
     * each, and none goes unmentioned.
     */
    void record(Channel connection, String reason) {
        String line = side + ": closing connection with " + connection.remoteAddress() + ": " + reason;
        refusals.incrementAndGet();
        lastRefusal = line;
        if (admit(connection)) {
            LOG.log(Level.WARNING, line);
        }
    }

    static final int LINES_PER_WINDOW = 10;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    // Guarded by this: refusals are rare in a healthy system and come from several event loops, so a lock is the
    // simplest correct choice here; the data path never comes this way.
    private long windowStart = System.nanoTime() - WINDOW_NANOS;
    private int linesInWindow;
    private long suppressed;
    private boolean summaryDue;

    /** Whether this refusal may have a line of its own; if not, counts it and makes sure a summary will follow. */
    private boolean admit(Channel connection) {
        boolean schedule;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart >= WINDOW_NANOS) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (linesInWindow < LINES_PER_WINDOW) {
                linesInWindow++;
                return true;
            }
            suppressed++;
            schedule = !summaryDue;
            summaryDue = true;
        }
        if (schedule) {
            try {
                connection.eventLoop().schedule(this::summarise, WINDOW_NANOS, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                summarise(); // the event loops are shutting down: say it now rather than never
            }
        }
        return false;
    }

    /** Logs how many refusals went unlogged since the last summary, with the latest of them. */
    void summarise() {
        long n;
        synchronized (this) {
            n = suppressed;
            suppressed = 0;
            summaryDue = false;
        }
        if (n > 0) {
            LOG.log(Level.WARNING, side + ": " + n + " more connection" + (n == 1 ? "" : "s")
                    + " closed, not logged one by one (more than " + LINES_PER_WINDOW + " a second); latest: "
                    + lastRefusal);
        }
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
