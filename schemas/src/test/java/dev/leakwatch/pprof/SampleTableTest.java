package dev.leakwatch.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leakwatch.pprof.testing.ProfileFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The flat sample table is another view of the same samples: every value and stack entry it gives
 * must be the one the {@link Sample} objects give, for decoded (Go-layout and general path) and
 * built profiles alike.
 */
class SampleTableTest {

  /** Every value and stack entry of {@code table} against the samples of {@code p}. */
  private static void assertSameAsSamples(Profile p, SampleTable table) {
    List<Sample> samples = p.samples();
    assertEquals(samples.size(), table.size());
    assertEquals(p.sampleTypes().size(), table.valueCount());
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      for (int t = 0; t < s.valueCount(); t++) {
        assertEquals(s.value(t), table.value(i, t), "sample " + i + " value " + t);
      }
      assertEquals(s.locationCount(), table.locationCount(i), "sample " + i);
      for (int k = 0; k < s.locationCount(); k++) {
        assertSame(s.location(k), table.location(i, k), "sample " + i + " entry " + k);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "goroutine", "allocs"})
  void shouldGiveEveryValueAndStackEntryOfTheDecodedSamples(String type) {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes(type));
    assertSameAsSamples(p, p.sampleTable());
  }

  @Test
  void shouldGiveTheSamplesOfAProfileReadByTheGeneralPath() {
    // sparse location ids: no table by id, so the samples are read field by field after the tables
    dev.leakwatch.pprof.proto.Profile real = DecodedSampleTest.real("heap");
    Profile general = ProfileDecoder.decode(
        DecodedSampleTest.renumbered(real, id -> id * 1_000_003L).build().toByteArray());
    assertSameAsSamples(general, general.sampleTable());
    assertEquals(DecodedSampleTest.content(ProfileDecoder.decode(real.toByteArray())),
        DecodedSampleTest.content(general));
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "goroutine", "allocs"})
  void shouldCopyTheLocationIdOfEveryStackEntryInOrder(String type) {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes(type));
    SampleTable table = p.sampleTable();
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      for (int k = 0; k < table.locationCount(i); k++) {
        expected.add(table.location(i, k).id());
      }
    }
    int[] ids = new int[expected.size() + 3];
    java.util.Arrays.fill(ids, -7);
    assertEquals(true, table.copyLocationIds(ids));
    for (int k = 0; k < expected.size(); k++) {
      assertEquals(expected.get(k), ids[k], "entry " + k);
    }
    assertEquals(-7, ids[expected.size()], "wrote past the entries");
    assertThrows(IndexOutOfBoundsException.class, () -> table.copyLocationIds(new int[expected.size() - 1]));
  }

  @Test
  void shouldRefuseToCopyIdsItDoesNotKeep() {
    // sparse ids (general path) and built profiles keep locations, not ids
    dev.leakwatch.pprof.proto.Profile real = DecodedSampleTest.real("heap");
    Profile general = ProfileDecoder.decode(
        DecodedSampleTest.renumbered(real, id -> id * 1_000_003L).build().toByteArray());
    int[] out = new int[1 << 16];
    assertEquals(false, general.sampleTable().copyLocationIds(out));
    assertEquals(0, out[0]);
  }

  @Test
  void shouldHandOutTheSameSampleEachTime() {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    SampleTable table = p.sampleTable();
    assertSame(table, p.sampleTable());
    for (int i = 0; i < table.size(); i++) {
      assertSame(table.sample(i), table.sample(i));
      assertSame(table.sample(i), p.samples().get(i));
    }
  }

  @Test
  void shouldGiveEveryThreadTheSameSampleObjects() throws Exception {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    SampleTable table = p.sampleTable();
    int threads = 4;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Sample[]>> seen = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        seen.add(pool.submit(() -> {
          start.await();
          Sample[] got = new Sample[table.size()];
          for (int i = 0; i < got.length; i++) {
            got[i] = table.sample(i);
            got[i].depth(); // a lazily counted field, read on the thread that got the sample
          }
          return got;
        }));
      }
      start.countDown();
      Sample[] first = seen.get(0).get();
      for (java.util.concurrent.Future<Sample[]> f : seen) {
        Sample[] got = f.get();
        for (int i = 0; i < got.length; i++) {
          assertSame(first[i], got[i], "sample " + i);
          assertEquals(first[i].locations().stream().mapToInt(Location::frameCount).sum(),
              got[i].depth(), "sample " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldServeABuiltProfileFromTheSamplesItWasBuiltWith() {
    Profile decoded = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    List<Sample> rebuilt = new ArrayList<>();
    for (Sample s : decoded.samples()) {
      rebuilt.add(new Sample(s.values(), s.locations(), Map.of(), Map.of(), Map.of()));
    }
    Profile built = decoded.toBuilder().samples(rebuilt).build();
    SampleTable table = built.sampleTable();
    assertSameAsSamples(built, table);
    for (int i = 0; i < rebuilt.size(); i++) {
      assertSame(built.samples().get(i), table.sample(i));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "goroutine", "allocs"})
  void shouldSumEachSampleTypeOverEverySample(String type) {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes(type));
    for (int t = 0; t < p.sampleTypes().size(); t++) {
      long sum = 0;
      for (Sample s : p.samples()) {
        sum += s.value(t);
      }
      assertEquals(sum, p.sampleTable().total(t), "type " + t);
      assertEquals(sum, p.totalValue(t), "type " + t);
    }
  }

  @Test
  void shouldRejectIndexesOutsideTheTable() {
    Profile p = ProfileDecoder.decode(ProfileFixtures.largestBytes("heap"));
    SampleTable table = p.sampleTable();
    int n = table.size();
    int width = table.valueCount();
    // the next sample's first value lies right after sample 0's last: never shown for type width
    assertThrows(IndexOutOfBoundsException.class, () -> table.value(0, width));
    assertThrows(IndexOutOfBoundsException.class, () -> table.value(0, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> table.value(n, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> table.value(-1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> table.locationCount(n));
    assertThrows(IndexOutOfBoundsException.class, () -> table.location(0, table.locationCount(0)));
    assertThrows(IndexOutOfBoundsException.class, () -> table.location(0, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> table.sample(n));
    assertThrows(IndexOutOfBoundsException.class, () -> table.total(width));
  }
}
