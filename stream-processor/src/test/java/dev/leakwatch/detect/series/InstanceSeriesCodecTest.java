package dev.leakwatch.detect.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        // the last value delta (+100) zigzags to 200, a two-byte varint starting two bytes before the end
        assertEquals("truncated varint in site 0 values (at byte " + (bytes.length - 2) + ")", e.getMessage());
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
        assertEquals("instance series: unsupported version 9 (supported 1..2) (at byte 2)",
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

    @Test
    void shouldReadVersionOneSeriesAsHavingSeenNoRestart() {
        InstanceSeries s = sample();
        byte[] v2 = s.toBytes();
        // version 1 lacks lastRestartMs: the header, then the series without that one zigzag varint
        int at = new StateWriter().writeByte('L').writeByte('S').writeByte(2).writeByte(s.kind().ordinal())
                .writeVarInt(s.generation()).writeSignedVarLong(s.generationStartMs()).writeVarLong(s.samplingPeriod())
                .writeSignedVarLong(s.lastAllocObjects()).writeSignedVarLong(s.lastAllocBytes()).position();
        int length = new StateWriter().writeSignedVarLong(s.lastRestartMs()).position();
        byte[] v1 = new byte[v2.length - length];
        System.arraycopy(v2, 0, v1, 0, at);
        System.arraycopy(v2, at + length, v1, at, v2.length - at - length);
        v1[2] = 1;

        InstanceSeries back = InstanceSeries.fromBytes(v1);
        assertEquals(RestartSignal.NONE, back.lastRestartMs());
        assertArrayEquals(s.lastTimes(5), back.lastTimes(5));
        assertEquals(RestartSignal.NONE, InstanceSeriesCodec.restartSignal(v1).lastRestartMs());
    }
}
