package dev.leakwatch.topology.window;

import dev.leakwatch.detect.LongIndex;
import dev.leakwatch.detect.SiteFrame;
import dev.leakwatch.detect.site.ProfileStacks;
import dev.leakwatch.detect.site.StackIds;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.SampleTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one decoded heap or goroutine profile of an instance into its {@link WindowContribution},
 * given the instance's previous capture of the same type.
 *
 * <p>Heap allocation counters in Go profiles are cumulative since process start, so a capture
 * contributes per stack the difference from the previous capture ({@code max(0, now - before)}).
 * Three cases have no usable "before": the instance's first capture (no snapshot: it contributes
 * in-use values only and becomes the baseline, since its counters may span days); a process
 * restart (counters restarted from zero: the whole counter is new allocation); and a stack absent
 * from the previous capture (its whole counter is new). One pass over the samples; stacks sharing
 * an id (same frames, different labels) are summed. The frames shipped with the contribution are
 * held to a byte budget ({@link ShippedFrames}), heaviest stacks first.
 */
public final class ContributionExtractor {

  private final int maxStacks;
  private final long reshipAfterMs;

  /**
   * @param maxStacks most stacks one contribution carries; the rest are summed under OTHER
   * @param reshipAfterMs when the previous capture is older than this (ms), every stack ships its
   *     frames again: the stack dictionary may have expired the ones the previous capture had
   */
  public ContributionExtractor(int maxStacks, long reshipAfterMs) {
    if (maxStacks < 1) {
      throw new IllegalArgumentException("maxStacks must be positive, got " + maxStacks);
    }
    this.maxStacks = maxStacks;
    this.reshipAfterMs = reshipAfterMs;
  }

  /** Result: what to send to the window and what to store as the instance's new snapshot. */
  public record Extraction(WindowContribution contribution, InstanceSnapshot snapshot) {}

  /**
   * @param instance instance name
   * @param goroutine true for a goroutine profile, false for heap (the profile must carry the
   *     matching sample types; the envelope decoder checked that)
   * @param captureMs capture time, ms since the epoch
   * @param stacks the decoded profile with its stacks read
   * @param previous the instance's previous snapshot of this type, null if none
   * @param restarted true when detection saw a process restart at this capture (heap only)
   */
  public Extraction extract(String instance, boolean goroutine, long captureMs, ProfileStacks stacks,
      InstanceSnapshot previous, boolean restarted) {
    Profile profile = stacks.profile();
    int[] types = goroutine
        ? new int[] {profile.sampleIndex("goroutine")}
        : new int[] {profile.sampleIndex("inuse_space"), profile.sampleIndex("inuse_objects"),
            profile.sampleIndex("alloc_space"), profile.sampleIndex("alloc_objects")};
    int width = types.length;
    SampleTable samples = profile.sampleTable();
    int n = samples.size();
    LongIndex index = new LongIndex(n);
    long[] ids = new long[n];
    // per stack: the first sample with it, as 1 + its number (0: none yet)
    int[] firstSample = new int[n];
    long[] totals = new long[n * width];
    for (int j = 0; j < n; j++) {
      long id = stacks.stackId(j);
      int i = index.add(id);
      if (firstSample[i] == 0) {
        ids[i] = id;
        firstSample[i] = j + 1;
      }
      for (int k = 0; k < width; k++) {
        totals[i * width + k] += samples.value(j, types[k]);
      }
    }
    int count = index.size();
    List<StackValues> values = new ArrayList<>(count);
    long[] objects = new long[count];
    long[] bytes = new long[count];
    // per stack: whether the previous capture had it (looked up once, for the deltas and the frames)
    boolean[] known = new boolean[count];
    for (int i = 0; i < count; i++) {
      long id = ids[i];
      int t = i * width;
      int before = previous == null ? -1 : previous.indexOf(id);
      known[i] = before >= 0;
      if (goroutine) {
        values.add(StackValues.goroutine(id, totals[t]));
      } else {
        long allocBytes = delta(totals[t + 2], before < 0 ? 0 : previous.allocBytes(before), previous, restarted);
        long allocObjects = delta(totals[t + 3], before < 0 ? 0 : previous.allocObjects(before), previous, restarted);
        values.add(StackValues.heap(id, totals[t], totals[t + 1], allocBytes, allocObjects));
        objects[i] = totals[t + 3];
        bytes[i] = totals[t + 2];
      }
    }
    // Windows add contributions up by stack id: the order only matters when the cap must choose.
    List<StackValues> kept = values.size() <= maxStacks ? values : cap(values, maxStacks);
    boolean reshipAll = previous == null || captureMs - previous.captureMs() > reshipAfterMs;
    List<Integer> ship = new ArrayList<>();
    if (kept == values) { // every stack kept, in index order
      for (int i = 0; i < count; i++) {
        if (reshipAll || !known[i]) {
          ship.add(i);
        }
      }
    } else {
      for (StackValues v : kept) {
        int i = v.stackId() == StackIds.OTHER ? -1 : index.indexOf(v.stackId());
        if (i >= 0 && (reshipAll || !known[i])) {
          ship.add(i);
        }
      }
    }
    // heaviest first, so that when the frames are too many for one record the lightest go without
    ship.sort((a, b) -> HEAVIEST_FIRST.compare(values.get(a), values.get(b)));
    ShippedFrames budget = new ShippedFrames();
    Map<Long, List<SiteFrame>> newStacks = new HashMap<>();
    for (int i : ship) {
      List<SiteFrame> frames = SiteFrame.of(samples.sample(firstSample[i] - 1).stack());
      if (budget.admit(frames)) {
        newStacks.put(ids[i], frames);
      }
    }
    return new Extraction(
        new WindowContribution(instance, goroutine, captureMs, kept, newStacks),
        snapshot(captureMs, ids, objects, bytes, count));
  }

  private static long delta(long now, long before, InstanceSnapshot previous, boolean restarted) {
    if (previous == null) {
      return 0;
    }
    if (restarted) {
      return Math.max(0, now);
    }
    return Math.max(0, now - before);
  }

  private static final Comparator<StackValues> HEAVIEST_FIRST = (a, b) -> {
    int byWeight = Long.compare(b.weight(), a.weight());
    return byWeight != 0 ? byWeight : Long.compare(a.stackId(), b.stackId());
  };

  /**
   * Keeps the {@code max} heaviest entries (by {@link StackValues#weight()}, ties by id) and sums
   * the others, including any existing OTHER entry, into one OTHER entry. Order of the result:
   * by weight, descending.
   */
  static List<StackValues> cap(List<StackValues> values, int max) {
    List<StackValues> sorted = new ArrayList<>(values);
    sorted.sort(HEAVIEST_FIRST);
    List<StackValues> kept = new ArrayList<>(Math.min(sorted.size(), max + 1));
    StackValues other = null;
    int real = 0;
    for (StackValues v : sorted) {
      if (v.stackId() != StackIds.OTHER && real < max) {
        kept.add(v);
        real++;
      } else {
        other = other == null ? v.withId(StackIds.OTHER) : other.plus(StackIds.OTHER, v);
      }
    }
    if (other != null) {
      kept.add(other);
    }
    return kept;
  }

  /** The snapshot to store: every stack, or the {@link InstanceSnapshot#MAX_STACKS} with most bytes. */
  private static InstanceSnapshot snapshot(long captureMs, long[] ids, long[] objects, long[] bytes, int count) {
    if (count <= InstanceSnapshot.MAX_STACKS) {
      return new InstanceSnapshot(captureMs, ids, objects, bytes, count);
    }
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(bytes[b], bytes[a]));
    int max = InstanceSnapshot.MAX_STACKS;
    long[] keptIds = new long[max];
    long[] keptObjects = new long[max];
    long[] keptBytes = new long[max];
    for (int i = 0; i < max; i++) {
      keptIds[i] = ids[order[i]];
      keptObjects[i] = objects[order[i]];
      keptBytes[i] = bytes[order[i]];
    }
    return new InstanceSnapshot(captureMs, keptIds, keptObjects, keptBytes, max);
  }

}
