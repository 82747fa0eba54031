package dev.leakwatch.detect.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionConfig;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.Site;
import dev.leakwatch.detect.StateFormatException;
import dev.leakwatch.detect.Synthetic;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The labels a series keeps of its latest capture: bounded, sorted, in the series value from version 4 on. */
class InstanceLabelsTest {
  private static final Site A = Synthetic.heapSite("example.com/app.a");

  private static InstanceSeries series(Map<String, String> labels) {
    InstanceSeries s = InstanceSeries.empty(ProfileKind.HEAP);
    for (int i = 0; i < 3; i++) {
      s.append(Synthetic.heap(1_000_000 + i * 3000L, 1000 + i, 50 + i, A, 100 * i), DetectionConfig.defaults());
    }
    s.updateLabels(labels);
    return s;
  }

  @Test
  void shouldRoundTripLabelsSortedByNameWhenTheSeriesIsStored() {
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("version", "1.4.2");
    sent.put("region", "eu-west-1");
    sent.put("zone", "ünïcode ✓ 😀");

    InstanceSeries back = InstanceSeries.fromBytes(series(sent).toBytes());

    assertEquals(new TreeMap<>(sent), back.labels().asMap());
    assertEquals(java.util.List.of("region", "version", "zone"), java.util.List.copyOf(back.labels().asMap().keySet()));
    assertFalse(back.labels().truncated());
    assertTrue(back.labels().sameAs(new HashMap<>(sent)), "equal labels read back compare equal to the envelope's");
  }

  @Test
  void shouldTellChangedLabelsFromTheKeptOnesWhenAValueNameOrCountDiffers() {
    InstanceLabels kept = InstanceSeries.fromBytes(series(Map.of("version", "1.4.2", "region", "eu")).toBytes()).labels();

    assertTrue(kept.sameAs(Map.of("region", "eu", "version", "1.4.2")));
    assertFalse(kept.sameAs(Map.of("region", "eu", "version", "1.4.3")));
    assertFalse(kept.sameAs(Map.of("region", "eu", "versioN", "1.4.2")));
    assertFalse(kept.sameAs(Map.of("region", "eu")));
    assertFalse(kept.sameAs(Map.of("region", "eu", "version", "1.4.2", "zone", "a")));
    assertFalse(kept.sameAs(Map.of("region", "eü", "version", "1.4.2")));
    assertTrue(InstanceLabels.NONE.sameAs(Map.of()));
    assertTrue(InstanceLabels.NONE.sameAs(null));
  }

  @Test
  void shouldKeepTheFirstSixteenInNameOrderAndSayTruncatedWhenMoreAreSent() {
    Map<String, String> sent = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      sent.put(String.format("l%02d", i), "v" + i);
    }

    InstanceLabels kept = InstanceLabels.of(sent);

    assertEquals(InstanceLabels.MAX_LABELS, kept.size());
    assertEquals("l00", kept.asMap().firstKey());
    assertEquals("l15", kept.asMap().lastKey());
    assertTrue(kept.truncated());
    assertFalse(kept.sameAs(sent), "a truncated set is never taken as unchanged: its dropped labels are not kept");
  }

  @Test
  void shouldDropLabelsFromTheFirstThatBreaksTheByteBoundWhenValuesAreLong() {
    Map<String, String> sent = Map.of("a", "x".repeat(600), "b", "y".repeat(600), "c", "z");

    InstanceLabels kept = InstanceLabels.of(sent);

    // a (601 bytes) fits; a + b (1,202) does not: b and everything after it in name order are dropped
    assertEquals(Map.of("a", "x".repeat(600)), kept.asMap());
    assertTrue(kept.truncated());
  }

  @Test
  void shouldDropLabelsThatBreakTheLabelRuleWhenAnotherProducerSentThem() {
    InstanceLabels kept = InstanceLabels.of(Map.of("git-sha", "abc", "version", "1"));

    assertEquals(Map.of("version", "1"), kept.asMap());
    assertTrue(kept.truncated());
  }

  @Test
  void shouldReadAVersionThreeSeriesAsCarryingNoLabels() {
    InstanceSeries s = series(Map.of("version", "1.4.2"));
    byte[] v3 = InstanceSeriesCodec.encode(s, 3);

    InstanceSeries back = InstanceSeries.fromBytes(v3);

    assertSame(InstanceLabels.NONE, back.labels());
    assertEquals(s.lastTimeMs(), back.lastTimeMs());
    InstanceSeriesCodec.CatalogFacts facts = InstanceSeriesCodec.catalogFacts(v3);
    assertEquals(s.lastTimeMs(), facts.latestCaptureMs());
    assertSame(InstanceLabels.NONE, facts.labels());
    assertEquals(Map.of("version", "1.4.2"), InstanceSeriesCodec.catalogFacts(s.toBytes()).labels().asMap());
  }

  @Test
  void shouldRejectLabelsOutOfNameOrderNamingTheLabel() {
    byte[] bytes = series(Map.of("a", "1", "b", "2")).toBytes();
    // swap the two one-byte names in place: "b" then "a"
    int at = InstanceSeriesCodecTest.indexOf(bytes, new byte[] {1, 'a', 1, '1', 1, 'b'});
    bytes[at + 1] = 'b';
    bytes[at + 5] = 'a';

    StateFormatException e = assertThrows(StateFormatException.class, () -> InstanceSeries.fromBytes(bytes));
    assertTrue(e.getMessage().startsWith("label 1 is not after the previous label in name order"), e.getMessage());
  }
}
