package dev.leakwatch.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API tests need of the recorded corpus beyond {@link Fixtures}: decoded profiles, captures
 * of one type in order, and ground truth the processor never sees (which process took a capture).
 */
final class RecordedCorpus {

  private RecordedCorpus() {}

  /** Per instance, per capture time: the id of the Go process that served the capture (manifest). */
  static Map<String, Map<Long, String>> processes(String id) {
    Map<String, Map<Long, String>> out = new HashMap<>();
    for (JsonNode inst : Fixtures.manifest(id).path("instances")) {
      Map<Long, String> byTime = out.computeIfAbsent(inst.path("name").asText(), k -> new HashMap<>());
      for (JsonNode c : inst.path("captures")) {
        byTime.put(c.path("unix_ms").asLong(), c.path("process_instance_id").asText());
      }
    }
    return out;
  }

  static Profile decode(CorpusScenario.Capture c) {
    return decode(Fixtures.bytes(c.file()));
  }

  static Profile decode(byte[] gz) {
    return ProfileDecoder.decode(gz, DecodeLimits.defaults());
  }

  /** Captures of one type, by capture time then instance. */
  static List<CorpusScenario.Capture> of(CorpusScenario s, String type) {
    return s.captures().stream().filter(c -> c.type().equals(type))
        .sorted(Comparator.comparingLong(CorpusScenario.Capture::captureMs).thenComparing(CorpusScenario.Capture::instance))
        .toList();
  }
}
