package io.flotilla.platform.sim;

import java.util.Arrays;

/**
 * The bookings of one interconnect link: disjoint busy intervals sorted by start. A transfer asked for at time t
 * takes the earliest gap at or after t long enough for it, so a transfer booked into the future (a spinning core's
 * re-fetch after a write that has not happened yet) does not hold up one asked for earlier in virtual time; each
 * link is served in virtual-time order, not in the order the simulator happened to compute the requests.
 *
 * <p>Intervals that end before the simulation's current time can no longer matter (no request is ever made for an
 * earlier time) and are dropped by {@link #forget}. Arrays grow by doubling and are reused: booking allocates
 * nothing once the calendar has reached its working size.
 */
final class LinkCalendar {

    private long[] start = new long[16];
    private long[] end = new long[16];
    private int count;

    /** The earliest time at or after {@code t} when the link is free for {@code duration} cycles. */
    long earliestFit(long t, long duration) {
        if (count == 0 || end[count - 1] <= t) {
            return t; // the usual case: nothing booked from t on
        }
        long candidate = t;
        for (int i = firstEndingAfter(t); i < count; i++) {
            if (start[i] >= candidate + duration) {
                return candidate;
            }
            candidate = Math.max(candidate, end[i]);
        }
        return candidate;
    }

    /** Books [{@code from}, {@code from + duration}), which must be free (as {@link #earliestFit} found it). */
    void book(long from, long duration) {
        if (duration <= 0) {
            return;
        }
        long to = from + duration;
        // The usual case, in virtual-time order: at or after the last booking, no search and no shift.
        int i = count == 0 || end[count - 1] <= from ? count : firstEndingAfter(from);
        // Merge with a neighbour that touches the new interval, so back-to-back streams stay one interval.
        if (i > 0 && end[i - 1] == from) {
            end[i - 1] = to;
            if (i < count && start[i] == to) {
                end[i - 1] = end[i];
                System.arraycopy(start, i + 1, start, i, count - i - 1);
                System.arraycopy(end, i + 1, end, i, count - i - 1);
                count--;
            }
            return;
        }
        if (i < count && start[i] == to) {
            start[i] = from;
            return;
        }
        if (count == start.length) {
            start = Arrays.copyOf(start, count * 2);
            end = Arrays.copyOf(end, count * 2);
        }
        System.arraycopy(start, i, start, i + 1, count - i);
        System.arraycopy(end, i, end, i + 1, count - i);
        start[i] = from;
        end[i] = to;
        count++;
    }

    /** Drops the intervals that ended at or before {@code now}. */
    void forget(long now) {
        int drop = 0;
        while (drop < count && end[drop] <= now) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(start, drop, start, 0, count - drop);
            System.arraycopy(end, drop, end, 0, count - drop);
            count -= drop;
        }
    }

    /** Intervals held (for tests). */
    int size() {
        return count;
    }

    /** Index of the first interval that ends after {@code t} (binary search: ends are sorted too). */
    private int firstEndingAfter(long t) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (end[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
