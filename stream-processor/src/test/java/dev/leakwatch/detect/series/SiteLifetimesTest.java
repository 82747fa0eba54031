package dev.leakwatch.detect.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.site.CaptureSnapshot;
import org.junit.jupiter.api.Test;

/** Per-capture lifetimes of one heap site (Little's law), fed capture by capture as a series does. */
class SiteLifetimesTest {
    private static final long Q = 512 * 1024;

    /** Captures 1 s apart; the site allocates {@code perCapture} bytes between captures and holds {@code inuse}. */
    private static SiteLifetimes feed(int captures, long perCapture, long inuse) {
        SiteLifetimes l = new SiteLifetimes(4);
        for (int i = 0; i < captures; i++) {
            l.append(false);
            l.observe(i * perCapture, inuse, i >= SiteLifetimes.RATE_CAPTURES ? 5000 : -1, Q);
        }
        return l;
    }

    @Test
    void shouldKnowTheLifetimeOnceFiveCapturesAllocatedFourSamplingPeriods() {
        // 1 sampling period per second held at 2 periods in use: a lifetime of 2 s from the 6th capture on
        int[] codes = feed(7, Q, 2 * Q).last(7);
        for (int i = 0; i < 5; i++) {
            assertEquals(SiteLifetimes.UNKNOWN, codes[i], "capture " + i + ": fewer than 5 intervals");
        }
        int twoSeconds = 1 + (int) Math.round(SiteLifetimes.STEPS_PER_DOUBLING * Math.log(2001) / Math.log(2));
        assertArrayEquals(new int[] {twoSeconds, twoSeconds}, new int[] {codes[5], codes[6]});
    }

    @Test
    void shouldLeaveTheLifetimeUnknownWhenTooFewObjectsWereSampled() {
        // 3 sampling periods over 5 captures: a rate from a handful of sampled objects is noise
        int[] codes = feed(12, 3 * Q / 5, 2 * Q).last(12);
        for (int c : codes) {
            assertEquals(SiteLifetimes.UNKNOWN, c);
        }
    }

    @Test
    void shouldLeaveTheLifetimeUnknownWhenTheSiteAllocatesInBursts() {
        // a slice leaking by reallocation: it grows 1.25x every 6 captures (a new array, the old one freed),
        // allocating nothing in between; the lifetime would be ~5 s at every burst, flat while it only grows
        SiteLifetimes l = new SiteLifetimes(4);
        long capacity = 64 * Q;
        long allocated = 0;
        for (int i = 0; i < 40; i++) {
            if (i % 6 == 0) {
                capacity = capacity * 5 / 4;
                allocated += capacity;
            }
            l.append(false);
            l.observe(allocated, capacity, i >= SiteLifetimes.RATE_CAPTURES ? 5000 : -1, Q);
        }
        for (int c : l.last(40)) {
            assertEquals(SiteLifetimes.UNKNOWN, c);
        }
    }

    @Test
    void shouldKnowTheLifetimeWhenOneIntervalOfFiveAllocatedNothing() {
        SiteLifetimes l = new SiteLifetimes(4);
        long allocated = 0;
        for (int i = 0; i < 7; i++) {
            allocated += i == 4 ? 0 : 2 * Q;
            l.append(false);
            l.observe(allocated, 4 * Q, i >= SiteLifetimes.RATE_CAPTURES ? 5000 : -1, Q);
        }
        assertTrue(l.last(1)[0] != SiteLifetimes.UNKNOWN, "4 of the last 5 intervals allocated");
    }

    @Test
    void shouldRebuildTheRateAfterACaptureWithoutTheSitesAllocations() {
        SiteLifetimes l = feed(6, Q, 2 * Q);
        l.append(false);
        l.observe(CaptureSnapshot.ABSENT, 0, 5000, Q);
        for (int i = 0; i < 5; i++) {
            l.append(false);
            l.observe((10 + i) * Q, 2 * Q, 5000, Q);
        }
        int[] codes = l.last(7);
        assertTrue(codes[0] != SiteLifetimes.UNKNOWN, "known before the gap");
        for (int i = 1; i < 7; i++) {
            assertEquals(SiteLifetimes.UNKNOWN, codes[i], "capture " + i + " after the gap: the rate is rebuilt");
        }
    }
}
