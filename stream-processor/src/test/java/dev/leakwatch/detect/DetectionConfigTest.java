package dev.leakwatch.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DetectionConfigTest {

    @Test
    void shouldCarryTheDocumentedDefaults() {
        DetectionConfig c = DetectionConfig.defaults();
        assertEquals(48, c.windowCaptures());
        assertEquals(64, c.maxTrackedSites());
        assertEquals(8, c.minCaptures());
        assertEquals(Duration.ofSeconds(20), c.minSpan());
        assertEquals(Duration.ofMinutes(10), c.maxGap());
        assertEquals(3.0, c.minTrendZ());
        assertEquals(1024.0 * 1024.0, c.heapMinBytesPerHour());
        assertEquals(Duration.ofMinutes(2), c.warmup());
        assertEquals(Duration.ofMinutes(10), c.updateInterval());
        assertEquals(Duration.ofMinutes(30), c.resolveAfter());
        assertEquals(Duration.ofMinutes(15), c.instanceGoneAfter());
    }

    @Test
    void shouldBuildVariantsAndLeaveTheOriginalAlone() {
        DetectionConfig c = DetectionConfig.defaults();
        DetectionConfig v = c.toBuilder().resolveAfter(Duration.ofHours(1)).minTrendZ(4).build();
        assertEquals(Duration.ofHours(1), v.resolveAfter());
        assertEquals(4.0, v.minTrendZ());
        assertEquals(Duration.ofMinutes(30), c.resolveAfter());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void shouldRejectValuesThatCannotWork() {
        assertEquals("minCaptures must be in [6, windowCaptures]", assertThrows(IllegalArgumentException.class,
                () -> DetectionConfig.defaults().toBuilder().minCaptures(100).build()).getMessage());
        assertEquals("windowCaptures must be in [6, 256]", assertThrows(IllegalArgumentException.class,
                () -> DetectionConfig.defaults().toBuilder().windowCaptures(1000).build()).getMessage());
        assertEquals("resolveAfter must be positive", assertThrows(IllegalArgumentException.class,
                () -> DetectionConfig.defaults().toBuilder().resolveAfter(Duration.ZERO).build()).getMessage());
        assertEquals("warmupQuietSignificance must be in (0, 1)", assertThrows(IllegalArgumentException.class,
                () -> DetectionConfig.defaults().toBuilder().warmupQuietSignificance(1).build()).getMessage());
    }

    @Test
    void shouldNameProfileKindsByTheirEndpoints() {
        assertEquals(ProfileKind.GOROUTINE_LEAK, ProfileKind.fromName("goroutineleak"));
        assertEquals(ProfileKind.GOROUTINE_LEAK, ProfileKind.fromName("GOROUTINELEAK"));
        assertEquals(ProfileKind.HEAP, ProfileKind.fromName(" Heap "));
        assertEquals(null, ProfileKind.ALLOCS.suspectKind());
        assertEquals("unknown profile kind 'cpu' (expected heap, allocs, goroutine or goroutineleak)",
                assertThrows(IllegalArgumentException.class, () -> ProfileKind.fromName("cpu")).getMessage());
    }
}
