package dev.leakwatch.detect.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ExhaustionProjectionTest {

    @Test
    void shouldDivideTheHeadroomByTheRate() {
        // 400 MB of headroom at 100 MB/h = 4 h = 14,400,000 ms after now
        assertEquals(1_000L + 14_400_000L, ExhaustionProjection.project(1_000, 600_000_000, 100e6, 1_000_000_000L));
    }

    @Test
    void shouldSayNowWhenAlreadyAtTheLimit() {
        assertEquals(5L, ExhaustionProjection.project(5, 2_000, 1e6, 1_000L));
    }

    @Test
    void shouldNotProjectWithoutALimitOrGrowth() {
        assertNull(ExhaustionProjection.project(0, 10, 1e6, null));
        assertNull(ExhaustionProjection.project(0, 10, 0, 100L));
        assertNull(ExhaustionProjection.project(0, 10, Double.NaN, 100L));
        assertNull(ExhaustionProjection.project(0, 10, 1e-300, Long.MAX_VALUE), "beyond any representable time");
    }
}
