package dev.leakwatch.query;

import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.query.StackAnswers.DiffRow;
import dev.leakwatch.query.StackAnswers.Frame;
import dev.leakwatch.query.StackAnswers.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Function;

/**
 * Ranks a service's stacks from {@link StackTotals}: the top list of one range and the growth
 * between two ranges. Pure: frames come from the given lookup, called once with just the ids shown.
 * Ties are broken by stack id, so every instance ranks identically.
 */
final class StackRanking {

  /** Frames of stack ids (every id gets an entry). */
  interface Frames extends Function<Collection<Long>, Map<Long, List<SiteFrame>>> {}

  /** A stack whose value per capture rose from {@code base} to {@code target}. */
  private record Growth(long id, double base, double target) {
    double delta() {
      return target - base;
    }

    double relative() {
      return delta() / base;
    }
  }

  private StackRanking() {}

  /**
   * The {@code limit} heaviest stacks; with {@code chosen} (null for all), only those of its ids that
   * have a value, in the same order. Totals and the count of stacks are the whole range's either way.
   */
  static StackAnswers.Top top(String service, Metric m, StackTotals totals, StackAnswers.Range range, int limit,
      int maxFrames, Set<Long> chosen, Frames frames) {
    Map<Long, Long> values = totals.values(m);
    long captures = totals.captures(m.section());
    long total = values.values().stream().mapToLong(Long::longValue).sum();
    List<Map.Entry<Long, Long>> ranked = new ArrayList<>(values.entrySet());
    if (chosen != null) {
      ranked.removeIf(e -> !chosen.contains(e.getKey()));
    }
    ranked.sort(Map.Entry.<Long, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry::getKey, Long::compareUnsigned));
    List<Map.Entry<Long, Long>> shown = ranked.subList(0, Math.min(limit, ranked.size()));
    Map<Long, List<SiteFrame>> f = frames.apply(shown.stream().map(Map.Entry::getKey).toList());
    List<Row> rows = new ArrayList<>(shown.size());
    for (Map.Entry<Long, Long> e : shown) {
      List<SiteFrame> stack = f.get(e.getKey());
      rows.add(new Row(FrameLookup.hex(e.getKey()), Frame.of(stack.get(0)), stack.size(), head(stack, maxFrames),
          e.getValue(), per(e.getValue(), captures), total == 0 ? 0 : (double) e.getValue() / total));
    }
    SortedSet<String> instances = totals.instances();
    return new StackAnswers.Top(service, m.label(), m.unit(), range, captures, listed(instances), instances.size(),
        instances.size() > StackAnswers.LISTED_INSTANCES, total, per(total, captures), values.size(), rows);
  }

  static StackAnswers.Diff diff(String service, Metric m, StackTotals base, StackAnswers.Range baseRange,
      StackTotals target, StackAnswers.Range targetRange, int limit, int maxFrames, Frames frames) {
    Map<Long, Long> b = base.values(m);
    Map<Long, Long> t = target.values(m);
    long bc = base.captures(m.section());
    long tc = target.captures(m.section());
    Set<Long> ids = new HashSet<>(b.keySet());
    ids.addAll(t.keySet());
    List<Growth> grew = new ArrayList<>();
    for (long id : ids) {
      double bv = per(b.getOrDefault(id, 0L), bc);
      double tv = per(t.getOrDefault(id, 0L), tc);
      if (tv > bv) {
        grew.add(new Growth(id, bv, tv));
      }
    }
    Comparator<Growth> byId = Comparator.comparing(Growth::id, Long::compareUnsigned);
    Comparator<Growth> byDelta = Comparator.comparingDouble(Growth::delta).reversed();
    List<Growth> absolute = grew.stream().sorted(byDelta.thenComparing(byId)).limit(limit).toList();
    List<Growth> relative = grew.stream().filter(g -> g.base() > 0)
        .sorted(Comparator.comparingDouble(Growth::relative).reversed().thenComparing(byDelta).thenComparing(byId))
        .limit(limit).toList();
    Set<Long> shown = new HashSet<>();
    absolute.forEach(g -> shown.add(g.id()));
    relative.forEach(g -> shown.add(g.id()));
    Map<Long, List<SiteFrame>> f = frames.apply(shown);
    return new StackAnswers.Diff(service, m.label(), m.unit(),
        side(baseRange, bc, base.instances(), per(sum(b), bc)),
        side(targetRange, tc, target.instances(), per(sum(t), tc)),
        rows(absolute, f, maxFrames), rows(relative, f, maxFrames));
  }

  private static StackAnswers.DiffSide side(StackAnswers.Range range, long captures, SortedSet<String> instances,
      double totalPerCapture) {
    return new StackAnswers.DiffSide(range, captures, listed(instances), instances.size(),
        instances.size() > StackAnswers.LISTED_INSTANCES, totalPerCapture);
  }

  /** The first {@link StackAnswers#LISTED_INSTANCES} names: an answer must not grow with a churning fleet's history. */
  private static List<String> listed(SortedSet<String> instances) {
    return instances.stream().limit(StackAnswers.LISTED_INSTANCES).toList();
  }

  private static List<DiffRow> rows(List<Growth> ranked, Map<Long, List<SiteFrame>> f, int maxFrames) {
    List<DiffRow> out = new ArrayList<>(ranked.size());
    for (Growth g : ranked) {
      List<SiteFrame> stack = f.get(g.id());
      out.add(new DiffRow(FrameLookup.hex(g.id()), Frame.of(stack.get(0)), stack.size(), head(stack, maxFrames),
          g.base(), g.target(), g.delta(), g.base() > 0 ? g.relative() : null));
    }
    return out;
  }

  private static List<Frame> head(List<SiteFrame> stack, int maxFrames) {
    return stack.subList(0, Math.min(maxFrames, stack.size())).stream().map(Frame::of).toList();
  }

  private static long sum(Map<Long, Long> values) {
    return values.values().stream().mapToLong(Long::longValue).sum();
  }

  private static double per(long sum, long captures) {
    return captures == 0 ? 0 : (double) sum / captures;
  }
}
