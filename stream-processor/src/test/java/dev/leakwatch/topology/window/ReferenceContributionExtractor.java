package dev.leakwatch.topology.window;

import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.pprof.Frame;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The window contribution computed the plain way, with boxed maps and frame lists, as it was first
 * written: the oracle that {@link ContributionExtractor} must agree with. Its snapshot is a map of
 * stack id to {@code [allocObjects, allocBytes]}.
 */
final class ReferenceContributionExtractor {

  private final int maxStacks;
  private final long reshipAfterMs;

  /**
   * @param maxStacks most stacks one contribution carries; the rest are summed under OTHER
   * @param reshipAfterMs when the previous capture is older than this (ms), every stack ships its
   *     frames again: the stack dictionary may have expired the ones the previous capture had
   */
  ReferenceContributionExtractor(int maxStacks, long reshipAfterMs) {
    if (maxStacks < 1) {
      throw new IllegalArgumentException("maxStacks must be positive, got " + maxStacks);
    }
    this.maxStacks = maxStacks;
    this.reshipAfterMs = reshipAfterMs;
  }

  /** Result: what to send to the window and what to store as the instance's new snapshot. */
  record Snapshot(long captureMs, Map<Long, long[]> cumulative) {}

  record Extraction(WindowContribution contribution, Snapshot snapshot) {}

  /**
   * @param instance instance name
   * @param goroutine true for a goroutine profile, false for heap (the profile must carry the
   *     matching sample types; the envelope decoder checked that)
   * @param captureMs capture time, ms since the epoch
   * @param profile the decoded profile
   * @param previous the instance's previous snapshot of this type, null if none
   * @param restarted true when detection saw a process restart at this capture (heap only)
   */
  Extraction extract(String instance, boolean goroutine, long captureMs, Profile profile,
      Snapshot previous, boolean restarted) {
    Map<Long, long[]> totals = new LinkedHashMap<>();
    Map<Long, List<Frame>> frames = new HashMap<>();
    
    int[] index = goroutine
        ? new int[] {profile.sampleIndex("goroutine")}
        : new int[] {profile.sampleIndex("inuse_space"), profile.sampleIndex("inuse_objects"),
            profile.sampleIndex("alloc_space"), profile.sampleIndex("alloc_objects")};
    for (Sample s : profile.samples()) {
      List<Frame> stack = s.stack();
      long id = StackIds.of(stack);
      long[] t = totals.computeIfAbsent(id, k -> new long[index.length]);
      frames.putIfAbsent(id, stack);
      for (int i = 0; i < index.length; i++) {
        t[i] += s.value(index[i]);
      }
    }
    List<StackValues> values = new ArrayList<>(totals.size());
    Map<Long, long[]> cumulative = new HashMap<>(totals.size() * 2);
    for (Map.Entry<Long, long[]> e : totals.entrySet()) {
      long id = e.getKey();
      long[] t = e.getValue();
      if (goroutine) {
        values.add(StackValues.goroutine(id, t[0]));
        cumulative.put(id, new long[] {0, 0});
      } else {
        long[] before = previous == null ? null : previous.cumulative().get(id);
        long allocBytes = delta(t[2], before == null ? 0 : before[1], previous, restarted);
        long allocObjects = delta(t[3], before == null ? 0 : before[0], previous, restarted);
        values.add(StackValues.heap(id, t[0], t[1], allocBytes, allocObjects));
        cumulative.put(id, new long[] {t[3], t[2]});
      }
    }
    List<StackValues> kept = ContributionExtractor.cap(values, maxStacks); // the cap is tested on its own
    Map<Long, List<SiteFrame>> newStacks = new HashMap<>();
    boolean reshipAll = previous == null || captureMs - previous.captureMs() > reshipAfterMs;
    for (StackValues v : kept) {
      if (v.stackId() != StackIds.OTHER && (reshipAll || !previous.cumulative().containsKey(v.stackId()))) {
        newStacks.put(v.stackId(), siteFrames(frames.get(v.stackId())));
      }
    }
    return new Extraction(
        new WindowContribution(instance, goroutine, captureMs, kept, newStacks),
        new Snapshot(captureMs, boundSnapshot(cumulative)));
  }

  private static long delta(long now, long before, Snapshot previous, boolean restarted) {
    if (previous == null) {
      return 0;
    }
    if (restarted) {
      return Math.max(0, now);
    }
    return Math.max(0, now - before);
  }

  private static Map<Long, long[]> boundSnapshot(Map<Long, long[]> cumulative) {
    if (cumulative.size() <= InstanceSnapshot.MAX_STACKS) {
      return cumulative;
    }
    Map<Long, long[]> kept = new HashMap<>();
    cumulative.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<Long, long[]> e) -> e.getValue()[1]).reversed())
        .limit(InstanceSnapshot.MAX_STACKS)
        .forEach(e -> kept.put(e.getKey(), e.getValue()));
    return kept;
  }

  private static List<SiteFrame> siteFrames(List<Frame> stack) {
    List<SiteFrame> out = new ArrayList<>(stack.size());
    for (Frame f : stack) {
      out.add(new SiteFrame(f.function(), f.file(), f.line()));
    }
    return out;
  }
}
