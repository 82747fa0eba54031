package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges profiles of one kind into one, with pprof's merge semantics: samples with the same stack
 * and labels are summed, all-zero samples are dropped, tables are de-duplicated and renumbered.
 *
 * <p>Headers: sample and period types from the first profile (all must be identical); period is
 * the largest; time the earliest non-zero; duration the sum; comments the distinct ones in order;
 * default sample type the first one set; drop/keep frames from the first profile.
 */
public final class ProfileMerge {
  private ProfileMerge() {}

  /** A sample's identity for merging: the merged stack and every label. */
  private record SampleKey(List<Location> stack, Map<String, List<String>> labels,
      Map<String, List<Long>> numLabels, Map<String, List<String>> numUnits) {}

  /**
   * @param profiles one or more profiles with identical sample types and period type
   * @return a new profile; the inputs are not changed
   * @throws IllegalArgumentException if {@code profiles} is empty
   * @throws IncompatibleProfilesException if their types differ
   */
  public static Profile merge(List<Profile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("no profiles to merge");
    }
    checkCompatible(profiles);
    TableMerger tables = new TableMerger();
    Map<SampleKey, long[]> sums = new LinkedHashMap<>();
    for (Profile src : profiles) {
      tables.beginSource(src);
      for (Sample s : src.samples()) {
        if (isZero(s.values())) {
          continue;
        }
        List<Location> stack = new ArrayList<>(s.locations().size());
        for (Location l : s.locations()) {
          stack.add(tables.map(l));
        }
        SampleKey key = new SampleKey(stack, s.labels(), s.numLabels(), s.numUnits());
        long[] sum = sums.computeIfAbsent(key, k -> new long[s.valueCount()]);
        for (int i = 0; i < sum.length; i++) {
          sum[i] += s.value(i);
        }
      }
    }
    List<Sample> samples = new ArrayList<>(sums.size());
    boolean zeroSums = false;
    for (Map.Entry<SampleKey, long[]> e : sums.entrySet()) {
      SampleKey k = e.getKey();
      zeroSums |= isZero(e.getValue());
      samples.add(new Sample(e.getValue(), k.stack, k.labels, k.numLabels, k.numUnits));
    }
    Profile merged = headers(profiles)
        .samples(samples)
        .mappings(tables.mappingList)
        .locations(tables.locationList)
        .functions(tables.functionList)
        .build();
    // Samples that cancelled out leave entries nothing refers to; merging again drops both.
    return zeroSums ? merge(List.of(merged)) : merged;
  }

  private static boolean isZero(long[] values) {
    return Arrays.stream(values).allMatch(v -> v == 0);
  }

  private static void checkCompatible(List<Profile> profiles) {
    Profile first = profiles.get(0);
    for (int i = 1; i < profiles.size(); i++) {
      Profile p = profiles.get(i);
      if (!p.sampleTypes().equals(first.sampleTypes())) {
        throw new IncompatibleProfilesException("profile " + i + " has sample types "
            + p.sampleTypes() + " but profile 0 has " + first.sampleTypes());
      }
      if (!p.periodType().equals(first.periodType())) {
        throw new IncompatibleProfilesException("profile " + i + " has period type "
            + p.periodType() + " but profile 0 has " + first.periodType());
      }
    }
  }

  private static Profile.Builder headers(List<Profile> profiles) {
    Profile first = profiles.get(0);
    long time = 0;
    long duration = 0;
    long period = 0;
    String defaultType = "";
    Set<String> comments = new LinkedHashSet<>();
    for (Profile p : profiles) {
      if (p.timeNanos() != 0 && (time == 0 || p.timeNanos() < time)) {
        time = p.timeNanos();
      }
      duration += p.durationNanos();
      period = Math.max(period, p.period());
      comments.addAll(p.comments());
      if (defaultType.isEmpty()) {
        defaultType = p.defaultSampleType();
      }
    }
    return Profile.builder()
        .sampleTypes(first.sampleTypes())
        .periodType(first.periodType())
        .period(period)
        .timeNanos(time)
        .durationNanos(duration)
        .comments(new ArrayList<>(comments))
        .defaultSampleType(defaultType)
        .dropFrames(first.dropFrames())
        .keepFrames(first.keepFrames())
        .docUrl(first.docUrl());
  }
}
