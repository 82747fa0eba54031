package dev.leakwatch.agent;

import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.http.JsonResponses;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.scrape.ScrapeManager;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /targets}: the running targets, in pages as the processor's listings are, so an agent of
 * tens of thousands of targets does not answer them all at once (a few hundred bytes each). {@code limit}
 * targets (default and most {@value #MAX_LIMIT}) after {@code after} (a target's {@code service/instance};
 * default: from the first), by that key in Java string order; the answer is an object with {@code total}
 * (targets running), {@code count} (in this page), {@code truncated} (more follow), {@code next} (the
 * {@code after} of the next page, else null) and {@code targets}.
 *
 * <p>Asked without {@code limit} and {@code after}, an agent running at most {@value #MAX_LIMIT}
 * targets answers the bare list as releases before pages did (in the order they were added), so
 * existing scripts keep working; a larger one answers the first page, an object, so that no client
 * takes a cut list for the whole.
 */
final class TargetsPage {
  static final int MAX_LIMIT = 1000;

  private TargetsPage() {}

  static void answer(Context ctx, List<ScrapeManager.TargetStatus> targets, Function<TargetId, String> origin) {
    String limitParam = ctx.queryParam("limit");
    String after = ctx.queryParam("after");
    if (limitParam == null && after == null && targets.size() <= MAX_LIMIT) {
      JsonResponses.send(ctx, 200, targets.stream().map(s -> describe(s, origin)).toList());
      return;
    }
    int limit = MAX_LIMIT;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        JsonResponses.send(ctx, 400, JsonResponses.error(400, "bad_request", "parameter 'limit' = '" + limitParam
            + "': must be an integer in [1, " + MAX_LIMIT + "]"));
        return;
      }
    }
    List<ScrapeManager.TargetStatus> sorted = new ArrayList<>(targets.size());
    for (ScrapeManager.TargetStatus s : targets) {
      if (after == null || s.target().id().recordKey().compareTo(after) > 0) {
        sorted.add(s);
      }
    }
    sorted.sort(Comparator.comparing(s -> s.target().id().recordKey()));
    List<ScrapeManager.TargetStatus> page = sorted.subList(0, Math.min(limit, sorted.size()));
    boolean truncated = sorted.size() > page.size();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total", targets.size());
    body.put("count", page.size());
    body.put("truncated", truncated);
    body.put("next", truncated ? page.get(page.size() - 1).target().id().recordKey() : null);
    body.put("targets", page.stream().map(s -> describe(s, origin)).toList());
    JsonResponses.send(ctx, 200, body);
  }

  private static Map<String, Object> describe(ScrapeManager.TargetStatus s, Function<TargetId, String> origin) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", s.target().id().service());
    m.put("instance", s.target().id().instance());
    m.put("url", s.target().pprofBase().toString());
    m.put("profiles", s.target().profiles().stream().map(ProfileKind::endpoint).toArray());
    m.put("interval", Durations.format(s.target().interval()));
    m.put("consecutiveFailures", s.consecutiveFailures());
    m.put("labels", s.target().labels());
    m.put("source", origin.apply(s.target().id()));
    return m;
  }
}
