package dev.leakwatch.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.query.StackAnswers.DiffRow;
import dev.leakwatch.query.StackAnswers.Row;
import dev.leakwatch.topology.window.ServiceWindow;
import dev.leakwatch.topology.window.StackValues;
import dev.leakwatch.topology.window.WindowContribution;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Windows add up exactly, top lists rank by sums (ties by id, so every instance agrees), and diffs
 * compare values per capture, listing new stacks by absolute growth only.
 */
class StackRankingTest {

  private static final StackAnswers.Range RANGE = StackAnswers.Range.of(new TimeRange(0, 10_000), 5_000, 2);

  /** One heap capture of an instance: {stackId, inuseBytes, allocBytes} triples. */
  private static WindowContribution heap(String instance, long... triples) {
    List<StackValues> stacks = new ArrayList<>();
    for (int i = 0; i < triples.length; i += 3) {
      stacks.add(StackValues.heap(triples[i], triples[i + 1], 1, triples[i + 2], 1));
    }
    return new WindowContribution(instance, false, 1, stacks, Map.of());
  }

  private static StackTotals totals(WindowContribution... captures) {
    StackTotals t = new StackTotals();
    for (WindowContribution c : captures) {
      ServiceWindow w = new ServiceWindow();
      w.add(c, 100);
      t.add(w);
    }
    return t;
  }

  /** Frames named after the stack id, recording which ids were asked for. */
  private static final class Frames implements StackRanking.Frames {
    final List<Long> asked = new ArrayList<>();

    @Override
    public Map<Long, List<SiteFrame>> apply(Collection<Long> ids) {
      asked.addAll(ids);
      Map<Long, List<SiteFrame>> out = new HashMap<>();
      ids.forEach(id -> out.put(id, List.of(new SiteFrame("f" + id, "f.go", id), new SiteFrame("main", "m.go", 1))));
      return out;
    }
  }

  @Test
  void shouldAddWindowsUpPerStackAndCountEveryCapture() {
    StackTotals t = totals(heap("a", 1, 100, 10, 2, 50, 0), heap("b", 1, 300, 30), heap("a", 2, 70, 5));
    assertEquals(3, t.windows());
    assertEquals(3, t.captures(Section.HEAP));
    assertEquals(0, t.captures(Section.GOROUTINE));
    assertEquals(Map.of(1L, 400L, 2L, 120L), t.values(Metric.INUSE_SPACE));
    assertEquals(Map.of(1L, 40L, 2L, 5L), t.values(Metric.ALLOC_SPACE));
    assertEquals(List.of("a", "b"), List.copyOf(t.instances()));
  }

  @Test
  void shouldListTheFirstHundredInstancesByNameWithTheirCountWhenMoreContributed() {
    List<WindowContribution> churn = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      churn.add(heap(String.format("pod-%03d", i), 1, 10, 1));
    }
    StackTotals many = totals(churn.toArray(new WindowContribution[0]));
    StackTotals few = totals(heap("a", 1, 10, 1), heap("b", 1, 10, 1));

    StackAnswers.Top top = StackRanking.top("svc", Metric.INUSE_SPACE, many, RANGE, 3, 1, null, new Frames());
    assertEquals(250, top.instanceCount());
    assertTrue(top.instancesTruncated());
    assertEquals(StackAnswers.LISTED_INSTANCES, top.instances().size());
    assertEquals("pod-000", top.instances().get(0));
    assertEquals("pod-099", top.instances().get(99));
    assertEquals(2500, top.totalSum(), "every instance still counts in the totals");

    StackAnswers.Diff d = StackRanking.diff("svc", Metric.INUSE_SPACE, few, RANGE, many, RANGE, 3, 1, new Frames());
    assertEquals(List.of("a", "b"), d.base().instances());
    assertEquals(2, d.base().instanceCount());
    assertFalse(d.base().instancesTruncated());
    assertEquals(250, d.target().instanceCount());
    assertEquals(StackAnswers.LISTED_INSTANCES, d.target().instances().size());
    assertTrue(d.target().instancesTruncated());
  }

  @Test
  void shouldRankByTheSumBreakingTiesByIdAndLookUpFramesOnlyForTheRowsShown() {
    StackTotals t = totals(heap("a", 7, 100, 0, 3, 100, 0, 5, 400, 0, 9, 1, 0));
    Frames frames = new Frames();
    StackAnswers.Top top = StackRanking.top("svc", Metric.INUSE_SPACE, t, RANGE, 3, 1, null, frames);
    assertEquals(List.of("0000000000000005", "0000000000000003", "0000000000000007"),
        top.top().stream().map(Row::stackId).toList());
    assertEquals(601, top.totalSum());
    assertEquals(4, top.stacks());
    Row first = top.top().get(0);
    assertEquals(400.0 / 601, first.share(), 1e-12);
    assertEquals(400.0, first.perCapture(), 1e-12);
    assertEquals(2, first.depth());
    assertEquals(1, first.frames().size(), "frames cut at the requested number");
    assertEquals("f5", first.leaf().function());
    assertEquals(3, frames.asked.size());
  }

  @Test
  void shouldAnswerOnlyTheChosenStacksWithAValueInRankOrderWithTheWholeRangesTotalsWhenStacksAreGiven() {
    StackTotals t = totals(heap("a", 7, 100, 0, 3, 100, 0, 5, 400, 0, 9, 1, 0));
    Frames frames = new Frames();
    // 11 has no value in the range, 9 is the lightest: asked in no particular order
    StackAnswers.Top top = StackRanking.top("svc", Metric.INUSE_SPACE, t, RANGE, 3, 1, Set.of(11L, 9L, 7L), frames);
    assertEquals(List.of("0000000000000007", "0000000000000009"), top.top().stream().map(Row::stackId).toList());
    assertEquals(List.of(100L, 1L), top.top().stream().map(Row::sum).toList());
    assertEquals(1.0 / 601, top.top().get(1).share(), 1e-12);
    assertEquals(601, top.totalSum(), "the range's total, not the chosen stacks'");
    assertEquals(4, top.stacks());
    assertEquals(Set.of(7L, 9L), Set.copyOf(frames.asked), "frames only of the rows shown");
  }

  @Test
  void shouldCompareRangesPerCaptureAndRankNewStacksByAbsoluteGrowthOnly() {
    StackTotals base = totals(heap("a", 1, 100, 0, 2, 1000, 0), heap("a", 1, 100, 0, 2, 1000, 0));
    StackTotals target = totals(heap("a", 1, 300, 0, 2, 1500, 0, 3, 800, 0));
    StackAnswers.Diff d = StackRanking.diff("svc", Metric.INUSE_SPACE, base, RANGE, target, RANGE, 10, 64,
        new Frames());
    assertEquals(List.of("0000000000000003", "0000000000000002", "0000000000000001"),
        d.grewMost().stream().map(DiffRow::stackId).toList(), "800 new, +500, +200");
    DiffRow fresh = d.grewMost().get(0);
    assertEquals(0.0, fresh.base());
    assertNull(fresh.relative());
    assertEquals(List.of("0000000000000001", "0000000000000002"),
        d.grewMostRelative().stream().map(DiffRow::stackId).toList(), "x3, then x1.5");
    assertEquals(2.0, d.grewMostRelative().get(0).relative(), 1e-12);
    assertEquals(1100.0, d.base().totalPerCapture(), 1e-12);
    assertEquals(2600.0, d.target().totalPerCapture(), 1e-12);
  }

  @Test
  void shouldFoldTheLightestStacksIntoOtherBeyondTheCapKeepingTotalsExact() {
    StackTotals t = new StackTotals();
    long total = 0;
    for (int chunk = 0; chunk < 3; chunk++) {
      ServiceWindow w = new ServiceWindow();
      List<StackValues> stacks = new ArrayList<>();
      for (int i = 1; i <= StackTotals.MAX_STACKS / 2 + 10; i++) {
        long id = chunk * 1_000_000L + i;
        stacks.add(StackValues.heap(id, id, 0, 0, 0));
        total += id;
      }
      w.add(new WindowContribution("a", false, 1, stacks, Map.of()), Integer.MAX_VALUE - 1);
      t.add(w);
    }
    Map<Long, Long> values = t.values(Metric.INUSE_SPACE);
    assertEquals(StackTotals.MAX_STACKS, values.size());
    assertEquals(total, values.values().stream().mapToLong(Long::longValue).sum());
  }
}
