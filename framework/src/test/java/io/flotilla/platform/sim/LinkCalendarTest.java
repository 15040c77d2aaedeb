package io.flotilla.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinkCalendarTest {

    @Test
    void aTransferBookedIntoTheFutureDoesNotHoldUpOneAskedForEarlier() {
        LinkCalendar c = new LinkCalendar();
        // a spinning core's re-fetch, computed first but due at 1000
        c.book(c.earliestFit(1000, 10), 10);
        // a transfer asked for at 100 takes the link at 100, not after 1010
        assertThat(c.earliestFit(100, 10)).isEqualTo(100);
        c.book(100, 10);
        // one that would overlap the booking at 1000 waits for its end
        assertThat(c.earliestFit(995, 10)).isEqualTo(1010);
        // one that fits in the gap before it takes the gap
        assertThat(c.earliestFit(985, 10)).isEqualTo(985);
    }

    @Test
    void bookingsNeverOverlapAndForgottenOnesAreGone() {
        LinkCalendar c = new LinkCalendar();
        SplittableRandom r = new SplittableRandom(5);
        List<long[]> booked = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long t = r.nextLong(20_000);
            long d = 1 + r.nextLong(20);
            long at = c.earliestFit(t, d);
            assertThat(at).isGreaterThanOrEqualTo(t);
            c.book(at, d);
            booked.add(new long[] {at, at + d});
        }
        booked.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 1; i < booked.size(); i++) {
            assertThat(booked.get(i)[0]).isGreaterThanOrEqualTo(booked.get(i - 1)[1]);
        }
        long last = booked.get(booked.size() - 1)[1];
        c.forget(last);
        assertThat(c.size()).isZero();
        assertThat(c.earliestFit(0, 5)).isZero();
    }
}
