package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.query.CatalogAnswers.LiveInstance;
import dev.leakwatch.query.CatalogAnswers.LiveService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The label pairs that set a suspect's instances apart. In the table, live instances are written
 * {@code name:k=v,k=v} ({@code name:} for none, {@code name:?} unknown, a trailing {@code +} for
 * labels not all kept), separated by spaces; the answer as {@code name=value suspect/service/live}
 * pairs separated by {@code ;}, in the answer's order.
 */
class LabelContrastTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a new release on two of five | a b | a:v=2,r=eu b:v=2,r=us c:v=1,r=eu d:v=1,r=us e:v=1,r=eu | v=2 2/2/5
      every instance is a suspect's | a b | a:v=2 b:v=2 | -
      a pair held by every live instance tells nothing | a | a:v=1,r=eu b:v=1,r=us | r=eu 1/1/2
      rarest first, then by name | a | a:r=eu,v=2,z=1 b:r=eu,v=1,z=2 c:r=us,v=1,z=2 d:r=us,v=1,z=2 | v=2 1/1/4; z=1 1/1/4; r=eu 1/2/4
      a suspect instance of unknown labels is left out | a b | a:v=2 b:? c:v=1 | v=2 1/1/2
      a live instance of unknown labels is not counted | a | a:v=2 b:? c:v=1 | v=2 1/1/2
      a suspect instance without labels: nothing in common | a b | a:v=2 b: c:v=1 | -
      only what every suspect instance holds | a b | a:v=2,r=eu b:v=2,r=us c:v=1,r=eu | v=2 2/2/3
      a suspect instance that is not live is left out | a gone | a:v=2 b:v=1 | v=2 1/1/2
      a label an instance did not keep is not held | a b | a:v=2,r=eu b:v=2+ c:v=1,r=eu | v=2 2/2/3
      no suspect instance with known labels | a | a:? b:v=1 | -
      """)
  void shouldListThePairsEverySuspectInstanceHoldsAndNotEveryLiveInstanceWhenComputed(String why, String suspect,
      String live, String expected) {
    SuspectAnswers.Labels labels = LabelContrast.of(Arrays.asList(suspect.split(" ")), live(live, -1));
    String shown = labels.distinguishing().stream().map(d -> d.name() + "=" + d.value() + " " + d.suspectInstances()
        + "/" + d.serviceInstances() + "/" + d.serviceLiveInstances()).collect(Collectors.joining("; "));
    assertEquals(expected.equals("-") ? "" : expected, shown, why);
  }

  @Test
  void shouldListEachSuspectInstancesLabelsByNameAndNullWhenNotLive() {
    SuspectAnswers.Labels labels = LabelContrast.of(List.of("b", "gone", "a"), live("a:v=2 b:v=1+ c:v=1", -1));
    assertEquals(List.of("a", "b", "gone"), labels.instances().stream().map(SuspectAnswers.InstanceLabels::instance).toList());
    assertEquals("{v=2}", String.valueOf(labels.instances().get(0).labels()));
    assertTrue(labels.instances().get(1).labelsTruncated(), labels.toString());
    assertNull(labels.instances().get(2).labels(), labels.toString());
    assertEquals(3, labels.liveInstances());
    assertEquals(3, labels.countedInstances());
    assertFalse(labels.truncated());
    assertFalse(labels.instancesTruncated());
  }

  @Test
  void shouldSayTruncatedWhenTheServiceHasMoreLiveInstancesThanCountedOrTheSuspectMoreThanListed() {
    List<String> suspect = IntStream.range(0, LabelContrast.MAX_LISTED + 1).mapToObj(i -> String.format("i%04d", i)).toList();
    String live = suspect.stream().map(n -> n + ":v=2").collect(Collectors.joining(" ")) + " z:v=1";
    SuspectAnswers.Labels labels = LabelContrast.of(suspect, live(live, 100_000));
    assertEquals(100_000, labels.liveInstances());
    assertEquals(LabelContrast.MAX_LISTED + 2, labels.countedInstances());
    assertTrue(labels.truncated(), "the counts are of the counted instances only");
    assertEquals(LabelContrast.MAX_LISTED, labels.instances().size());
    assertTrue(labels.instancesTruncated());
    assertEquals("v=2", labels.distinguishing().get(0).name() + "=" + labels.distinguishing().get(0).value());
    assertEquals(LabelContrast.MAX_LISTED + 1, labels.distinguishing().get(0).suspectInstances(),
        "every suspect instance counted counts, not only those listed");
  }

  /** A page of live instances written as in the table; {@code liveCount} &lt; 0: the page holds them all. */
  private static LiveService live(String spec, int liveCount) {
    List<LiveInstance> out = new ArrayList<>();
    for (String item : spec.split(" ")) {
      String name = item.substring(0, item.indexOf(':'));
      String rest = item.substring(item.indexOf(':') + 1);
      boolean truncated = rest.endsWith("+");
      rest = truncated ? rest.substring(0, rest.length() - 1) : rest;
      TreeMap<String, String> labels = rest.equals("?") ? null : new TreeMap<>();
      if (labels != null && !rest.isEmpty()) {
        for (String pair : rest.split(",")) {
          labels.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
      }
      out.add(new LiveInstance(name, "2026-11-26T07:11:52.912Z", null, null, labels, truncated));
    }
    out.sort(java.util.Comparator.comparing(LiveInstance::instance));
    int count = liveCount < 0 ? out.size() : liveCount;
    return new LiveService("svc", null, 1, 0, count, out.size(), count > out.size(), null, out);
  }
}
