package dev.leakwatch.topology.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.StateFormatException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StackLastSeenTest {

  @Test
  void shouldExpireStacksLastSeenBeforeTheCutoffAndKeepTheRest() {
    StackLastSeen index = StackLastSeen.startingAt(0);
    index.sweep(Set.of(1L, 2L, 3L), 0, -1);
    index.seen(1L, 3_000);
    index.seen(2L, 5_000);
    index.seen(2L, 4_000); // an earlier window folded later does not move the time back

    List<Long> expired = index.sweep(Set.of(1L, 2L, 3L), 6_000, 3_500);

    assertEquals(Set.of(1L, 3L), new HashSet<>(expired));
    assertEquals(Map.of(2L, 5_000L), index.lastSeen());
    assertEquals(6_000, index.indexedThroughMs());
  }

  @Test
  void shouldCountDictionaryEntriesItDidNotKnowAsSeenAtThePreviousSweep() {
    StackLastSeen index = StackLastSeen.startingAt(1_000);
    index.sweep(Set.of(), 1_000, 0);

    // 7 was written after the sweep at 1,000 but no folded window held it
    assertEquals(List.of(), index.sweep(Set.of(7L), 2_000, 500));
    assertEquals(Map.of(7L, 1_000L), index.lastSeen());
    assertEquals(List.of(7L), index.sweep(Set.of(7L), 3_000, 1_500));
  }

  @Test
  void shouldForgetStacksThatAreNoLongerInTheDictionary() {
    StackLastSeen index = StackLastSeen.startingAt(0);
    index.sweep(Set.of(1L, 2L), 0, -1);
    assertEquals(List.of(), index.sweep(Set.of(2L), 10, -1));
    assertEquals(Set.of(2L), index.lastSeen().keySet());
  }

  @Test
  void shouldExpireTheLongestUnseenBeyondTheStackLimit() {
    StackLastSeen index = StackLastSeen.startingAt(0);
    int n = StackLastSeen.MAX_STACKS + 3;
    Set<Long> all = LongStream.range(0, n).boxed().collect(Collectors.toSet());
    index.sweep(all, 0, -1);
    for (long id = 0; id < n; id++) {
      index.seen(id, 100 + id);
    }

    List<Long> expired = index.sweep(all, 200_000, -1);

    assertEquals(List.of(0L, 1L, 2L), expired.stream().sorted().toList());
    assertEquals(StackLastSeen.MAX_STACKS, index.lastSeen().size());
  }

  @Test
  void shouldReadBackWhatItWrites() {
    StackLastSeen index = StackLastSeen.startingAt(-5);
    index.sweep(Set.of(Long.MIN_VALUE, -1L, 42L), -5, -10);
    index.seen(42L, 1_700_000_000_000L);

    StackLastSeen back = StackLastSeen.fromBytes(index.toBytes());

    assertEquals(index.lastSeen(), back.lastSeen());
    assertEquals(-5, back.indexedThroughMs());
  }

  @Test
  void shouldRejectForeignAndTruncatedBytes() {
    byte[] good = StackLastSeen.startingAt(0).toBytes();
    assertThrows(StateFormatException.class, () -> StackLastSeen.fromBytes(new byte[] {'L', 'W', 1, 0, 0}));
    StateFormatException e = assertThrows(StateFormatException.class,
        () -> StackLastSeen.fromBytes(java.util.Arrays.copyOf(good, good.length - 1)));
    assertTrue(e.getMessage().contains("stack"), e.getMessage());
  }
}
