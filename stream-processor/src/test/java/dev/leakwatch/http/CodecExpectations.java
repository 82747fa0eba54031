package dev.leakwatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.pprof.Top;
import dev.leakwatch.pprof.TopOptions;
import dev.leakwatch.pprof.TopRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the pprof codec says about recorded profiles, in forms the API's answers can be compared with. */
final class CodecExpectations {

  /** A frame as the API shows it. */
  record Frame(String function, String file, long line) {}

  private CodecExpectations() {}

  /** Per full stack, the sum of a sample type over the profiles. */
  static Map<List<Frame>, Long> sumsByStack(List<Profile> profiles, String type) {
    Map<List<Frame>, Long> out = new HashMap<>();
    for (Profile p : profiles) {
      int i = p.sampleIndex(type);
      for (Sample s : p.samples()) {
        List<Frame> stack = s.stack().stream().map(f -> new Frame(f.function(), f.file(), f.line())).toList();
        out.merge(stack, s.value(i), Long::sum);
      }
    }
    out.values().removeIf(v -> v == 0);
    return out;
  }

  /** A stack as the API shows it (all frames requested). */
  static List<Frame> stack(JsonNode row) {
    List<Frame> out = new ArrayList<>();
    row.path("frames").forEach(f -> out.add(new Frame(f.path("function").asText(), f.path("file").asText(),
        f.path("line").asLong())));
    return out;
  }

  /**
   * {@code go tool pprof -top -nodefraction=0 -sample_index=type} as the codec computes it: per
   * function, flat and cum; rows where both are 0 left out.
   */
  static Map<String, List<Long>> topRows(Profile p, String type) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (TopRow r : Top.of(p, TopOptions.defaults().withNodeFraction(0).withSampleIndex(p.sampleIndex(type))).rows()) {
      if (r.flat() != 0 || r.cum() != 0) {
        out.put(r.function(), List.of(r.flat(), r.cum()));
      }
    }
    return out;
  }
}
