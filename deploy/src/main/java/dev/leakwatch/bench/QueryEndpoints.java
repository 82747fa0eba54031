package dev.leakwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.detect.site.CaptureSnapshot;
import dev.leakwatch.detect.site.SiteExtractor;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.query.ApiPaths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The questions {@link QueryBench} asks, in order: the service listing, one large service's
 * instances, its top stacks, diffs and merged profiles over the last hour (the default range) and
 * over the whole retention ({@code now-7d} to {@code now}: every window the store holds), the
 * suspects, a suspect's series and a site's series (where the answer judges each instance's growth
 * on the query).
 */
final class QueryEndpoints {

  private QueryEndpoints() {}

  /**
   * @param fleet the fleet whose largest service ({@link QueryBench#SERVICE}) is asked about
   * @param captures captures per instance
   * @param firstMs capture time of the first round
   * @param spanMs capture time from the first round to the last
   */
  static List<QueryBench.Timing> askAll(QueryCalls calls, Fleet fleet, int captures, long firstMs, long spanMs) {
    String svc = ApiPaths.fill(ApiPaths.SERVICE, QueryBench.SERVICE);
    String all = "from=now-7d&to=now";
    // halves of the captured span: the whole retention's diff compares them
    String mid = Instant.ofEpochMilli(firstMs + spanMs / 2).toString();
    List<QueryBench.Timing> out = new ArrayList<>();
    out.add(calls.time("services (page of 1000, 100 instances each)", ApiPaths.SERVICES));
    out.add(calls.time("services (counts only)", ApiPaths.SERVICES + "?instances=0"));
    out.add(calls.time("a service's instances (page of 100)", svc + "/instances"));
    out.add(calls.time("top, last hour", svc + "/top"));
    out.add(calls.time("top, whole retention", svc + "/top?" + all));
    out.add(calls.time("diff, last hour vs the one before", svc + "/diff"));
    out.add(calls.time("diff, whole retention (halves)", svc + "/diff?baseFrom=now-7d&baseTo=" + mid + "&from="
        + mid + "&to=now"));
    out.add(calls.time("profile (merged heap), last hour", svc + "/profile"));
    out.add(calls.time("profile (merged heap), whole retention", svc + "/profile?" + all));
    JsonNode open = calls.json(ApiPaths.SUSPECTS + "?limit=1000");
    calls.openSuspects(open.path("count").asInt());
    out.add(calls.time("suspects (open)", ApiPaths.SUSPECTS));
    out.add(calls.time("suspects (all)", ApiPaths.SUSPECTS + "?status=all"));
    JsonNode suspect = largestSuspect(open);
    if (suspect != null) {
      String series = ApiPaths.fill(ApiPaths.SUSPECT_SERIES, suspect.path("service").asText(),
          suspect.path("suspectId").asText());
      out.add(calls.time("suspect series (page of 100)", series));
      out.add(calls.time("suspect series (page of 1000)", series + "?limit=1000"));
    }
    String site = ApiPaths.fill(ApiPaths.SITE_SERIES, QueryBench.SERVICE, steadySite(fleet, captures));
    out.add(calls.time("site series (page of 100)", site));
    out.add(calls.time("site series (page of 1000)", site + "?limit=1000"));
    out.add(calls.time("site series (one instance)", site + "?instance=" + ApiPaths.query(fleet.instance(0))));
    return out;
  }

  /** The open suspect with the most instances, or null. */
  private static JsonNode largestSuspect(JsonNode page) {
    JsonNode best = null;
    for (JsonNode s : page.path("suspects")) {
      if (best == null || s.path("instances").size() > best.path("instances").size()) {
        best = s;
      }
    }
    return best;
  }

  /**
   * The detection id of the site instance 0 has in most of its {@code captures} captures, the heaviest
   * at the last one among those: a site every instance replaying the same process tracks through the
   * series (each keeps its heaviest ones), so its answer has a point per capture and a growth to judge.
   */
  private static String steadySite(Fleet fleet, int captures) {
    Map<Long, Integer> seen = new HashMap<>();
    CaptureSnapshot last = null;
    for (int c = 0; c < captures; c++) {
      last = SiteExtractor.extract(ProfileDecoder.decode(fleet.profile(0, c)), ProfileKind.HEAP, c);
      for (Long id : last.sites().keySet()) {
        seen.merge(id, 1, Integer::sum);
      }
    }
    CaptureSnapshot at = last;
    Long best = seen.keySet().stream().filter(id -> at.indexOf(id) >= 0)
        .max(Comparator.comparingInt((Long id) -> seen.get(id)).thenComparingLong(at::valueOf))
        .orElseThrow(() -> new IllegalStateException("the fleet's profile has no heap sites"));
    return HexFormat.of().toHexDigits(best);
  }
}
