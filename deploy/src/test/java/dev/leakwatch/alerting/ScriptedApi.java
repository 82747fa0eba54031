package dev.leakwatch.alerting;

import com.sun.net.httpserver.HttpServer;
import dev.leakwatch.query.JsonCodec;
import dev.leakwatch.query.StackAnswers.Frame;
import dev.leakwatch.query.SuspectAnswers.Detail;
import dev.leakwatch.query.SuspectAnswers.Labels;
import dev.leakwatch.query.SuspectAnswers.Listing;
import dev.leakwatch.query.SuspectAnswers.Suspect;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the query API with answers of its own record types (the shapes the processor writes):
 * the open listing in pages, one suspect by service and id, or a 503 for every request. What it
 * answers is set by the test between rounds.
 */
final class ScriptedApi implements AutoCloseable {

  private final HttpServer server;
  final URI url;
  volatile List<Suspect> open = List.of();
  /** What a lookup of one suspect answers ({@code service/id}); absent: 404. */
  final Map<String, Suspect> known = new ConcurrentHashMap<>();
  /** The labels section of a suspect's answer ({@code service/id}); absent: an answer without one. */
  final Map<String, Labels> labels = new ConcurrentHashMap<>();
  volatile boolean unavailable;
  volatile int pageSize = 1000;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  ScriptedApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/", exchange -> {
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body;
      int status = 200;
      String path = exchange.getRequestURI().getRawPath();
      if (unavailable) {
        status = 503;
        body = "{\"status\":503,\"error\":\"unavailable\",\"message\":\"1 of 2 instances could not answer\"}".getBytes();
      } else if (path.equals("/api/v1/suspects")) {
        body = JsonCodec.write(page(exchange.getRequestURI().getRawQuery()));
      } else {
        String[] parts = path.split("/");
        String key = URLDecoder.decode(parts[4], StandardCharsets.UTF_8) + "/" + URLDecoder.decode(parts[6], StandardCharsets.UTF_8);
        Suspect s = known.get(key);
        if (s == null) {
          status = 404;
          body = "{\"status\":404,\"error\":\"not_found\",\"message\":\"no such suspect\"}".getBytes();
        } else {
          body = JsonCodec.write(new Detail(s, List.of(), labels.get(key)));
        }
      }
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private Listing page(String query) {
    String after = null;
    for (String p : query.split("&")) {
      if (p.startsWith("after=")) {
        after = URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8);
      }
    }
    List<Suspect> rest = new ArrayList<>();
    // the API's order: by service, then id
    for (Suspect s : open.stream().sorted(java.util.Comparator.comparing(Suspect::service)
        .thenComparing(Suspect::suspectId)).toList()) {
      if (after == null || (s.service() + "/" + s.suspectId()).compareTo(after) > 0) {
        rest.add(s);
      }
    }
    List<Suspect> page = rest.subList(0, Math.min(pageSize, rest.size()));
    boolean more = rest.size() > page.size();
    Suspect last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Listing("open", page.size(), more, more ? last.service() + "/" + last.suspectId() : null, page);
  }

  /** An open heap suspect with a projected OOM at {@code exhaustion} (null: none projected). */
  static Suspect heap(String service, String id, Instant exhaustion) {
    Frame site = new Frame("leakwatch.dev/goleaker/internal/session.(*Store).Remember",
        "/src/goleaker/internal/session/store.go", 87);
    return new Suspect(id, service, "HEAP", "open", "OPEN", "97f858da02d28f4c", "heap", site, List.of(site), null,
        List.of("replica-0", "replica-1"), 1.5 * 1024 * 1024, "bytes/hour", 3.0 * 1024 * 1024, "bytes",
        "2026-11-26T07:11:20Z", "2026-11-26T07:11:40.750Z", "2026-11-26T07:11:40.750Z", "mann-kendall", 4.2, 0.99,
        List.of(), exhaustion == null ? null : exhaustion.toString(), exhaustion == null ? null : 256L << 20, List.of());
  }

  /** An open goroutine suspect whose instances' memory limit is unknown (so no projection). */
  static Suspect goroutines(String service, String id) {
    return goroutines(service, id, null);
  }

  /** An open goroutine suspect, projected to exhaust its instances' memory at {@code exhaustion} (or null). */
  static Suspect goroutines(String service, String id, Instant exhaustion) {
    Frame site = new Frame("leakwatch.dev/goleaker/internal/push.(*Dispatcher).resolveDevice",
        "/src/goleaker/internal/push/dispatch.go", 51);
    return new Suspect(id, service, "GOROUTINE", "open", "OPEN", "98731973af4d0e26", "goroutine", site, List.of(site),
        "chan receive", List.of("worker-3"), 20930.8, "goroutines/hour", 5200.0, "goroutines",
        "2026-11-26T07:10:00Z", "2026-11-26T07:11:00Z", "2026-11-26T07:11:00Z", "mann-kendall", 5.0, 0.87,
        List.of(), exhaustion == null ? null : exhaustion.toString(), exhaustion == null ? null : 512L << 20,
        List.of());
  }

  /** The same suspect, naming {@code related} as probably the same bug (its {@code relatedSuspects}). */
  static Suspect withRelated(Suspect s, String... related) {
    return new Suspect(s.suspectId(), s.service(), s.kind(), s.state(), s.lastStatus(), s.siteId(), s.seriesKind(),
        s.site(), s.stack(), s.waitReason(), s.instances(), s.growthRate(), s.growthUnit(), s.currentValue(),
        s.valueUnit(), s.firstGrowthSeen(), s.openedAt(), s.detectedAt(), s.statistic(), s.statisticValue(),
        s.confidence(), s.evidence(), s.projectedExhaustion(), s.memoryLimitBytes(), List.of(related));
  }

  /** The same suspect in another lifecycle state. */
  static Suspect withState(Suspect s, String state) {
    return new Suspect(s.suspectId(), s.service(), s.kind(), state, s.lastStatus(), s.siteId(), s.seriesKind(),
        s.site(), s.stack(), s.waitReason(), s.instances(), s.growthRate(), s.growthUnit(), s.currentValue(),
        s.valueUnit(), s.firstGrowthSeen(), s.openedAt(), s.detectedAt(), s.statistic(), s.statisticValue(),
        s.confidence(), s.evidence(), s.projectedExhaustion(), s.memoryLimitBytes(), s.relatedSuspects());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
