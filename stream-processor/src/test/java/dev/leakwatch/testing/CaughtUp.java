package dev.leakwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Whether a processor's every stage holds every published capture of a scenario, as its query API
 * shows them. A set-up that waits for one stage alone can find another still behind under load:
 * the per-instance stage runs on each instance's own input partition (possibly on the other
 * processor), and the per-service stages (windows, then suspect lifecycle and history) run later,
 * fed through the repartition topic. A service's latest capture, a count of its windows' captures
 * or an open suspect can each be there while another instance's captures or the lifecycle's latest
 * reports are not yet; answers then change between two requests, or miss instances.
 */
public final class CaughtUp {

  private CaughtUp() {}

  /**
   * True when {@code /api/v1/services/{service}} shows each instance at its last capture of any
   * type (the per-instance series), and {@code .../instances} (the lifecycle's live instances) each
   * at its last capture that detection reads (allocs profiles do not reach the lifecycle). The
   * windows stage takes each report before the lifecycle, in the same task. {@code answer} gives
   * the JSON answer of a path, or null when it is not 200.
   */
  public static boolean holdsEveryCapture(CorpusScenario s, Function<String, JsonNode> answer) {
    return holdsEveryCapture(s.service(), s.captures(), answer);
  }

  /** The same for {@code captures} published under {@code service}. */
  public static boolean holdsEveryCapture(String service, List<CorpusScenario.Capture> captures,
      Function<String, JsonNode> answer) {
    Map<String, Long> last = new TreeMap<>();
    Map<String, Long> lastDetected = new TreeMap<>();
    for (CorpusScenario.Capture c : captures) {
      last.merge(c.instance(), c.captureMs(), Math::max);
      if (!c.type().equals("allocs")) {
        lastDetected.merge(c.instance(), c.captureMs(), Math::max);
      }
    }
    JsonNode series = answer.apply(ApiPaths.fill(ApiPaths.SERVICE, service) + "?limit=1000");
    JsonNode live = answer.apply(ApiPaths.fill(ApiPaths.INSTANCES, service) + "?limit=1000");
    if (series == null || live == null) {
      return false;
    }
    Map<String, Long> seriesAt = new TreeMap<>();
    series.path("instances").forEach(i -> seriesAt.put(i.path("instance").asText(), i.path("lastCaptureMs").asLong()));
    Map<String, Long> liveAt = new TreeMap<>();
    live.path("instances").forEach(i -> liveAt.put(i.path("instance").asText(),
        Instant.parse(i.path("lastSeen").asText()).toEpochMilli()));
    return seriesAt.equals(last) && liveAt.equals(lastDetected);
  }
}
