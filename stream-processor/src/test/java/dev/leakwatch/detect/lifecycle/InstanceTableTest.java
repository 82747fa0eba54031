package dev.leakwatch.detect.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle's instance table keeps its encoded form up to date entry by entry; whatever the
 * history, the bytes must decode to exactly its entries, and a table read back from them must go on
 * exactly as the one that wrote them.
 */
class InstanceTableTest {

    private static final long T0 = 1_790_000_000_000L;

    @Test
    void shouldEncodeExactlyItsEntriesAndGoOnLikeItsDecodedCopyWhateverTheHistory() {
        Random random = new Random(20261126);
        ServiceSuspects written = new ServiceSuspects("svc");
        Map<String, InstanceInfo> expected = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            names.add("pod-" + Integer.toString(random.nextInt(1 << 20), 36));
        }
        ServiceSuspects readBack = null;
        for (int step = 0; step < 3000; step++) {
            String name = names.get(random.nextInt(names.size()));
            InstanceInfo prev = expected.get(name);
            int op = random.nextInt(10);
            if (op == 0) {
                expected.remove(name);
                written.removeInstance(name);
                if (readBack != null) {
                    readBack.removeInstance(name);
                }
            } else {
                InstanceInfo info = next(prev, op, random);
                expected.put(name, info);
                written.putInstance(name, info);
                if (readBack != null) {
                    readBack.putInstance(name, info);
                }
            }
            byte[] bytes = written.toBytes();
            if (readBack != null) {
                assertArrayEquals(bytes, readBack.toBytes(), "the copy read back went another way at step " + step);
            }
            assertEquals(expected, written.instances(), "step " + step);
            readBack = ServiceSuspects.fromBytes(bytes);
            assertEquals(expected, readBack.instances(), "decoded at step " + step);
            assertArrayEquals(bytes, readBack.toBytes(), "re-encoded at step " + step);
        }
    }

    /**
     * A new entry, or a change of the previous one: same length (30 s later, arriving after another lead),
     * another length, or none.
     */
    private static InstanceInfo next(InstanceInfo prev, int op, Random random) {
        if (prev == null) {
            long seen = T0 + random.nextInt(1_000_000);
            return new InstanceInfo(seen, random.nextBoolean() ? null : 1L << 30, -1, seen + lead(random));
        }
        long later = prev.lastSeenMs() + 30_000;
        return switch (op % 5) {
            case 1 -> new InstanceInfo(later, prev.memoryLimitBytes(), prev.heapInuseBytes(), later + lead(random));
            case 2 -> new InstanceInfo(later, prev.memoryLimitBytes(),
                    random.nextBoolean() ? -1 : random.nextInt(1 << random.nextInt(31)), later);
            case 3 -> new InstanceInfo(prev.lastSeenMs(), prev.memoryLimitBytes() == null ? 123_456_789L : null,
                    prev.heapInuseBytes(), prev.arrivedAtMs());
            case 4 -> new InstanceInfo(prev.lastSeenMs(), prev.memoryLimitBytes(), prev.heapInuseBytes(),
                    prev.lastSeenMs() + lead(random)); // the same capture arrived again, later
            default -> prev;
        };
    }

    /** How far stream time was ahead of a capture when it arrived: mostly under a minute, now and then days. */
    private static long lead(Random random) {
        return random.nextInt(10) == 0 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(60_000);
    }

    @Test
    void shouldFindGoneInstancesIncludingOneThatJoinedWithAnEarlierArrivalThanTheRest() {
        InstanceTable t = new InstanceTable();
        t.put("a", seenAndArrived(T0 + 100_000));
        t.put("b", seenAndArrived(T0 + 100_000));
        assertEquals(List.of(), List.copyOf(t.goneAt(T0 + 150_000, 60_000, SilenceLimit.NONE)));
        t.put("c", seenAndArrived(T0)); // earlier than everything seen so far
        assertEquals(List.of("c"), List.copyOf(t.goneAt(T0 + 150_000, 60_000, SilenceLimit.NONE)));
        t.remove("c");
        assertEquals(List.of(), List.copyOf(t.goneAt(T0 + 150_000, 60_000, SilenceLimit.NONE)));
        assertEquals(List.of("a", "b"), List.copyOf(t.goneAt(T0 + 160_000, 60_000, SilenceLimit.NONE)));
    }

    @Test
    void shouldJudgeEachInstanceBySilenceSinceItsArrivalNotByHowOldItsCaptureIs() {
        InstanceTable t = new InstanceTable();
        // captured an hour before its sibling, both arrived at the same stream time (a clock behind)
        t.put("behind", new InstanceInfo(T0 - 3_600_000, null, -1, T0));
        t.put("sibling", seenAndArrived(T0));
        assertEquals(List.of(), List.copyOf(t.goneAt(T0 + 59_999, 60_000, SilenceLimit.NONE)));
        assertEquals(List.of("behind", "sibling"), List.copyOf(t.goneAt(T0 + 60_000, 60_000, SilenceLimit.NONE)));
    }

    @Test
    void shouldCountNoMoreSilenceThanTheLimitAllowsForEachInstance() {
        InstanceTable t = new InstanceTable();
        t.put("read-later", seenAndArrived(T0));
        t.put("stopped", seenAndArrived(T0));
        SilenceLimit limit = name -> name.equals("read-later") ? 5_000 : Long.MAX_VALUE;
        assertEquals(List.of("stopped"), List.copyOf(t.goneAt(T0 + 3_600_000, 60_000, limit)));
    }

    private static InstanceInfo seenAndArrived(long timeMs) {
        return new InstanceInfo(timeMs, null, -1, timeMs);
    }
}
