package dev.leakwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.pprof.ProfileDecoder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Times calls of the query API over real HTTP on localhost, one at a time: after {@code warmup}
 * unmeasured calls (JIT, RocksDB block cache), up to {@code calls} measured ones, each from sending
 * the request to the last byte of the answer, stopping early once {@code budget} is spent. Every
 * answer must be {@code 200}: a benchmark of error answers would measure nothing.
 */
final class QueryCalls {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final int calls;
  private final int warmup;
  private final Duration budget;
  private final Consumer<String> progress;
  private int openSuspects = -1;

  QueryCalls(int port, int calls, int warmup, Duration budget, Consumer<String> progress) {
    if (calls < 1 || warmup < 0) {
      throw new IllegalArgumentException("need calls >= 1 and warmup >= 0, got " + calls + ", " + warmup);
    }
    this.base = "http://127.0.0.1:" + port;
    this.calls = calls;
    this.warmup = warmup;
    this.budget = budget;
    this.progress = progress;
  }

  /** Waits until {@code /readyz} answers 200 (every task running, stores restored). */
  void awaitReady(Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        if (get("/readyz").statusCode() == 200) {
          return;
        }
      } catch (IllegalStateException e) {
        // not listening yet: ask again
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("the processor was not ready within " + max);
      }
      Pace.pause(Duration.ofMillis(100));
    }
  }

  /** The answer of one unmeasured call, as JSON. */
  JsonNode json(String path) {
    return parse(path, ok(path, get(path)).body());
  }

  /** Times {@code path}; {@code name} labels it in the table. */
  QueryBench.Timing time(String name, String path) {
    progress.accept("asking: " + name);
    HttpResponse<byte[]> last = null;
    for (int i = 0; i < warmup; i++) {
      last = ok(path, get(path));
    }
    Latencies l = new Latencies();
    long end = System.nanoTime() + budget.toNanos();
    for (int i = 0; i < calls && (i == 0 || System.nanoTime() < end); i++) {
      long t0 = System.nanoTime();
      last = ok(path, get(path));
      l.add(System.nanoTime() - t0);
    }
    byte[] body = last.body();
    return new QueryBench.Timing(name, path, touched(path, body), l, body.length);
  }

  /** Open suspects when {@link QueryEndpoints} first listed them; -1 before. */
  int openSuspects() {
    return openSuspects;
  }

  void openSuspects(int n) {
    openSuspects = n;
  }

  private HttpResponse<byte[]> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2)).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static HttpResponse<byte[]> ok(String path, HttpResponse<byte[]> r) {
    if (r.statusCode() != 200) {
      String body = new String(r.body(), StandardCharsets.UTF_8);
      throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": "
          + body.substring(0, Math.min(500, body.length())));
    }
    return r;
  }

  private static JsonNode parse(String path, byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " answered no JSON: " + e, e);
    }
  }

  /** What the answer says the call read, in a few words. */
  static String touched(String path, byte[] body) {
    if (path.contains("/profile")) {
      // the merged profile's comments name its windows, captures and instances
      return String.join("; ", ProfileDecoder.decode(body).comments()).replace("leakwatch: ", "");
    }
    JsonNode n = parse(path, body);
    List<String> parts = new ArrayList<>();
    if (n.has("base") && n.has("target")) {
      parts.add("base " + ranged(n.get("base")) + "; target " + ranged(n.get("target")));
    } else if (n.has("range")) {
      parts.add(ranged(n));
    }
    if (n.has("services")) {
      int listed = 0;
      for (JsonNode s : n.get("services")) {
        listed += s.path("instances").size();
      }
      parts.add(n.path("count").asInt() + " services, " + listed + " instances listed");
    }
    if (n.has("suspects")) {
      parts.add(n.path("count").asInt() + " suspects");
    }
    if (n.has("siteId") && n.has("instances")) {
      int points = 0;
      int judged = 0;
      for (JsonNode i : n.get("instances")) {
        points += i.path("points").size();
        judged += i.path("growth").isObject() ? 1 : 0;
      }
      parts.add(of(n) + " instances, " + points
          + " points, " + judged + " growth rates");
    } else if (n.has("instances") && n.get("instances").isArray() && !n.has("range")) {
      parts.add(of(n) + " instances");
    }
    return String.join("; ", parts);
  }

  /** "count of instanceCount", or the count alone where the answer has no instance count (one instance asked). */
  private static String of(JsonNode n) {
    JsonNode all = n.path("instanceCount");
    return n.path("count").asInt() + (all.isNumber() ? " of " + all.asInt() : "");
  }

  private static String ranged(JsonNode n) {
    return n.path("range").path("windows").asInt() + " windows, " + n.path("captures").asInt() + " captures, "
        + n.path("instanceCount").asInt() + " instances";
  }
}
