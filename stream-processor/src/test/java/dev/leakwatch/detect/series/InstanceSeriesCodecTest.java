package dev.leakwatch.detect.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.Synthetic;
import dev.leakwatch.detect.state.StateWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InstanceSeriesCodecTest {
    private static final Site A = Synthetic.heapSite("example.com/app.a");

    private static InstanceSeries sample() {
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        for (int i = 0; i < 5; i++) {
            s.append(Synthetic.heap(1_000_000 + i * 3000L, 1000 + i, 50 + i, A, 100 * i), DetectionConfig.defaults());
        }
        return s;
    }

    @Test
    void shouldRestoreEveryFieldFromItsBytes() {
        InstanceSeries s = sample();
        InstanceSeries back = InstanceSeries.fromBytes(s.toBytes());
        assertEquals(s.kind(), back.kind());
        assertEquals(s.generation(), back.generation());
        assertEquals(s.generationStartMs(), back.generationStartMs());
        assertEquals(s.samplingPeriod(), back.samplingPeriod());
        assertEquals(s.lastAllocObjects(), back.lastAllocObjects());
        assertEquals(s.lastAllocBytes(), back.lastAllocBytes());
        assertEquals(s.size(), back.size());
        assertArrayEquals(s.lastTimes(5), back.lastTimes(5));
        assertEquals(s.total(4), back.total(4));
        TrackedSite a = back.sites().get(0);
        assertEquals(A.id(), a.id());
        assertArrayEquals(new long[] {0, 100, 200, 300, 400}, a.knownValues());
        assertEquals(s.sites().get(0).quietUntilMs(), a.quietUntilMs());
        assertEquals(s.sites().get(0).risen(), a.risen());
        assertEquals(s.sites().get(0).tracked(), a.tracked());
    }

    @Test
    void shouldRejectTruncatedBytesNamingTheField() {
        byte[] bytes = sample().toBytes();
        StateFormatException e = assertThrows(StateFormatException.class,
                () -> InstanceSeries.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        // the series ends with the site's lifetime codes (all unknown here: one zero byte each)
        assertEquals("truncated varint in site 0 lifetimes (at byte " + (bytes.length - 1) + ")", e.getMessage());
        // without them, it ends inside the last value delta (+100, zigzag 200: a two-byte varint)
        int codes = sample().sites().get(0).known();
        StateFormatException v = assertThrows(StateFormatException.class,
                () -> InstanceSeries.fromBytes(Arrays.copyOf(bytes, bytes.length - codes - 1)));
        assertEquals("truncated varint in site 0 values (at byte " + (bytes.length - codes - 2) + ")", v.getMessage());
    }

    @Test
    void shouldRejectForeignMagicAndUnknownVersions() {
        byte[] bytes = sample().toBytes();
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertEquals("instance series: bad magic 58 53 (at byte 0)",
                assertThrows(StateFormatException.class, () -> InstanceSeries.fromBytes(magic)).getMessage());
        byte[] version = bytes.clone();
        version[2] = 9;
        assertEquals("instance series: unsupported version 9 (supported 1.." + InstanceSeriesCodec.VERSION + ") (at byte 2)",
                assertThrows(StateFormatException.class, () -> InstanceSeries.fromBytes(version)).getMessage());
        assertThrows(StateFormatException.class, () -> InstanceSeries.fromBytes(new byte[0]));
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = sample().toBytes();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);
        StateFormatException e = assertThrows(StateFormatException.class, () -> InstanceSeries.fromBytes(longer));
        assertEquals("instance series: 2 trailing bytes (at byte " + bytes.length + ")", e.getMessage());
    }

    @Test
    void shouldRejectACaptureCountBeyondTheWindowLimit() {
        // header, kind HEAP, generation 0, start 0, period 1, alloc objects/bytes 0, then a count of 300
        byte[] bytes = {'L', 'S', 1, 0, 0, 0, 1, 0, 0, (byte) 0xAC, 0x02};
        StateFormatException e = assertThrows(StateFormatException.class, () -> InstanceSeries.fromBytes(bytes));
        assertEquals("capture count 300 exceeds limit " + DetectionConfig.MAX_WINDOW + " (at byte 9)", e.getMessage());
    }

    @Test
    void shouldRoundTripTheLastRestartAndPeekItWithoutDecodingTheSites() {
        InstanceSeries s = sample();
        // counters down: a restart
        s.append(Synthetic.heap(1_100_000, 10, 1, A, 10), DetectionConfig.defaults());
        assertEquals(1_100_000, s.lastRestartMs());

        byte[] bytes = s.toBytes();
        assertEquals(1_100_000, InstanceSeries.fromBytes(bytes).lastRestartMs());
        assertEquals(new RestartSignal(1_100_000, 1_100_000), InstanceSeriesCodec.restartSignal(bytes));
    }

    /** A heap series whose site A rose to 18 MiB, gave 6 MiB back, then stayed below for 60 captures. */
    private static InstanceSeries released() {
        long mib = 1 << 20;
        InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
        long[] values = new long[81];
        for (int i = 0; i <= 18; i++) {
            values[i] = i * mib;
        }
        for (int i = 19; i < 81; i++) {
            values[i] = 12 * mib + (i % 5) * mib;
        }
        for (int i = 0; i < values.length; i++) {
            s.append(Synthetic.heap(1_000_000 + i * 2000L, 400 * mib, 1000 + i, A, values[i]), DetectionConfig.defaults());
        }
        return s;
    }

    @Test
    void shouldKeepThePeakASiteGaveBackAfterTheWindowNoLongerHoldsIt() {
        InstanceSeries s = released();
        TrackedSite a = s.sites().get(0);
        // 18 MiB sampled every 512 KiB: ~36 sampled objects, a noise of sqrt(18 MiB x 512 KiB) = 3 MiB
        assertEquals(27L << 20, a.climbPast(), "the peak and 3 times its sampling noise");
        assertEquals(18L << 20, a.peak());
        assertTrue(Arrays.stream(a.knownValues()).max().orElseThrow() < 18L << 20, "the window still holds the peak");

        TrackedSite back = InstanceSeries.fromBytes(s.toBytes()).sites().get(0);
        assertEquals(27L << 20, back.climbPast());
        assertEquals(18L << 20, back.peak());
    }

    @Test
    void shouldReadVersionTwoSitesAsHavingGivenNothingBack() {
        InstanceSeries s = released();
        TrackedSite back = InstanceSeries.fromBytes(InstanceSeriesCodec.encode(s, 2)).sites().get(0);
        assertEquals(TrackedSite.NO_RELEASE, back.climbPast());
        assertEquals(Arrays.stream(s.sites().get(0).knownValues()).max().orElseThrow(), back.peak(),
                "the highest value the window holds");
        assertArrayEquals(s.sites().get(0).knownValues(), back.knownValues());
    }

    @Test
    void shouldRejectALevelToClimbPastBelowTheNoneMarker() {
        InstanceSeries s = sample();
        byte[] good = s.toBytes();
        // site 0's climbPast is the zigzag byte 0x01 (-1) right after its peak varint (400 = 0x90 0x03)
        int at = indexOf(good, new byte[] {(byte) 0x90, 0x03, 0x01}) + 2;
        byte[] bad = good.clone();
        bad[at] = 0x03; // zigzag -2
        StateFormatException e = assertThrows(StateFormatException.class, () -> InstanceSeries.fromBytes(bad));
        assertEquals("bad climbPast -2 for site 0 (at byte " + at + ")", e.getMessage());
    }

    /** Where {@code part} first occurs in {@code bytes} (for tests that damage one field in place). */
    static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(bytes, i, i + part.length), part)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void shouldReadVersionOneSeriesAsHavingSeenNoRestart() {
        InstanceSeries s = sample();
        byte[] v1 = InstanceSeriesCodec.encode(s, 1);
        assertEquals(1, v1[2]);

        InstanceSeries back = InstanceSeries.fromBytes(v1);
        assertEquals(RestartSignal.NONE, back.lastRestartMs());
        assertArrayEquals(s.lastTimes(5), back.lastTimes(5));
        assertEquals(RestartSignal.NONE, InstanceSeriesCodec.restartSignal(v1).lastRestartMs());
    }
}
