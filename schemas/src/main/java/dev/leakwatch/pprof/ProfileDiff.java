package dev.leakwatch.pprof;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code target − base}, as {@code go tool pprof -diff_base=BASE TARGET} computes it: the base's
 * values are negated, its samples labelled {@code pprof::base=true}, and both merged with {@link
 * ProfileMerge}. Base samples therefore stay separate samples (their label differs), so per-stack
 * sums net out in reports such as {@link Top}, whose total is then the base total.
 */
public final class ProfileDiff {
  private ProfileDiff() {}

  /**
   * @throws IncompatibleProfilesException if the two have different sample or period types
   */
  public static Profile diff(Profile base, Profile target) {
    List<Sample> negated = new ArrayList<>(base.samples().size());
    for (Sample s : base.samples()) {
      long[] v = s.values();
      boolean nonZero = false;
      for (int i = 0; i < v.length; i++) {
        v[i] = -v[i];
        nonZero |= v[i] != 0;
      }
      if (!nonZero) {
        continue;
      }
      Map<String, List<String>> labels = new HashMap<>(s.labels());
      labels.put(Top.DIFF_BASE_LABEL, List.of("true"));
      negated.add(new Sample(v, s.locations(), labels, s.numLabels(), s.numUnits()));
    }
    Profile negatedBase = base.toBuilder().samples(negated).build();
    try {
      return ProfileMerge.merge(List.of(target, negatedBase));
    } catch (IncompatibleProfilesException e) {
      throw new IncompatibleProfilesException(
          "cannot diff: " + e.getMessage().replace("profile 1", "base").replace("profile 0",
              "target"));
    }
  }
}
