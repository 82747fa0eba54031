package dev.leakwatch.agent.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.config.KubernetesSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * The two pod requests discovery makes, on the JDK client: a page of a LIST ({@code limit},
 * {@code continue}) and a WATCH from a resourceVersion ({@code allowWatchBookmarks}, {@code
 * timeoutSeconds}), whose newline-delimited JSON events are handed over one at a time as they
 * arrive. The bearer token is read from its file for every request, so a rotated token is used
 * from the next request on; so is the CA file ({@link KubernetesClient}). Errors are {@link ApiException}s carrying the HTTP status (0 when no
 * answer came).
 */
final class KubernetesApi {
  static final int PAGE_SIZE = 500;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** How long past {@code timeoutSeconds} a silent watch may last: a bookmark comes about every minute. */
  static final Duration STALL_MARGIN = Duration.ofSeconds(60);

  private final KubernetesSettings settings;
  /** The bodies (list pages, watch streams) being read now, so that {@link #close()} can end them. */
  private final java.util.Set<StallGuard> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final KubernetesClient client;
  private final int watchSeconds;
  private final Duration stallBound;

  /**
   * @param watchSeconds {@code timeoutSeconds} of a watch: the server ends it after that long, and
   *     the watch resumes from the last resourceVersion seen
   */
  KubernetesApi(KubernetesSettings settings, int watchSeconds) {
    this(settings, watchSeconds, Duration.ofSeconds(watchSeconds).plus(STALL_MARGIN));
  }

  /**
   * @param stallBound a watch stream that receives no byte for this long is aborted ({@link
   *     StallGuard}): the server should have ended it, or sent a bookmark, by then; a list page
   *     for the shorter of this and the request timeout
   */
  KubernetesApi(KubernetesSettings settings, int watchSeconds, Duration stallBound) {
    this.settings = settings;
    this.watchSeconds = watchSeconds;
    this.stallBound = stallBound;
    this.client = new KubernetesClient(settings);
  }

  /** One page of a LIST. */
  record Page(List<JsonNode> items, String resourceVersion, String continueToken) {}

  /**
   * Lists one page of pods in {@code namespace} (null: all), continuing {@code cont} (or null).
   *
   * @param consistent read from etcd even when scoped to a node: the watch cache's answer may be
   *     older than what the API server still keeps for a watch (after a 410 Gone it can be as old
   *     again, and the watch from it expire again at once)
   */
  Page list(String namespace, String cont, boolean consistent) throws ApiException, InterruptedException {
    StringJoiner q = query();
    q.add("limit=" + PAGE_SIZE);
    if (cont != null) {
      q.add("continue=" + enc(cont));
    } else if (settings.node() != null && !consistent) {
      // one agent per node: from the API server's watch cache, which indexes pods by node, as the
      // kubelet lists them; without it every agent's (re)list is a read of every pod in etcd. The
      // cache may ignore limit (a node's pods are few) and may be a little behind: the watch from
      // its resourceVersion catches up.
      q.add("resourceVersion=0");
    }
    HttpResponse<InputStream> r = send(namespace, q);
    return read(r, min(stallBound, REQUEST_TIMEOUT), "pod list", in -> {
      JsonNode doc = JSON.readTree(in);
      List<JsonNode> items = new ArrayList<>();
      doc.path("items").forEach(items::add);
      String next = doc.path("metadata").path("continue").asText("");
      return new Page(
          items, doc.path("metadata").path("resourceVersion").asText(""),
          next.isEmpty() ? null : next);
    });
  }

  /**
   * Watches pods from {@code resourceVersion}, handing each event to {@code events} as it arrives;
   * returns when the server ends the stream (normally after {@code timeoutSeconds}).
   *
   * @throws ApiException on a refused request, a stream that breaks, or one that stalls: no byte
   *     for the stall bound ({@link ApiException#stalled()})
   */
  void watch(String namespace, String resourceVersion, Consumer<JsonNode> events)
      throws ApiException, InterruptedException {
    StringJoiner q = query();
    q.add("watch=true");
    q.add("allowWatchBookmarks=true");
    q.add("timeoutSeconds=" + watchSeconds);
    q.add("resourceVersion=" + enc(resourceVersion));
    HttpResponse<InputStream> r = send(namespace, q);
    read(r, stallBound, "watch stream", body -> {
      BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          events.accept(JSON.readTree(line));
        }
      }
      return null;
    });
  }

  /** Reads a response body; an {@link IOException} is what breaks the read. */
  private interface BodyReader<T> {
    T read(InputStream body) throws IOException;
  }

  /**
   * Reads {@code r}'s body through a {@link StallGuard} that {@link #close()} ends too: a list
   * page, like a watch stream, can go silent mid-body on a connection that died without FIN or RST,
   * and the request timeout no longer covers it once the headers are in.
   *
   * @param what the body, for messages ({@code pod list}, {@code watch stream})
   */
  private <T> T read(HttpResponse<InputStream> r, Duration bound, String what, BodyReader<T> reader)
      throws ApiException, InterruptedException {
    StallGuard guard = new StallGuard(r.body(), bound);
    open.add(guard);
    if (closed) {
      close(guard); // closed while the request was on its way: the read below fails at once
    }
    try (guard) {
      return reader.read(guard);
    } catch (IOException e) {
      if (closed || Thread.currentThread().isInterrupted()) {
        throw new InterruptedException(what + " stopped");
      }
      if (guard.stalled()) {
        throw new ApiException(0, true,
            what + " stalled: nothing received for " + Durations.format(bound) + ", aborted", e);
      }
      throw new ApiException(0, what + " broke: " + e.getMessage(), e);
    } finally {
      open.remove(guard);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Ends every list page and watch stream being read now and any opened later: their reads fail
   * and {@link #list}/{@link #watch} throw {@link InterruptedException}. Closing the body is the one way to wake a read blocked in
   * it (see {@link StallGuard}); without this a stopped discovery would keep a thread reading until
   * the server's {@code timeoutSeconds} or the stall bound.
   */
  void close() {
    closed = true;
    open.forEach(KubernetesApi::close);
  }

  private static void close(StallGuard g) {
    try {
      g.close();
    } catch (IOException e) {
      // the blocked read fails either way
    }
  }

  private StringJoiner query() {
    StringJoiner q = new StringJoiner("&");
    if (settings.labelSelector() != null) {
      q.add("labelSelector=" + enc(settings.labelSelector()));
    }
    if (settings.node() != null) {
      q.add("fieldSelector=" + enc("spec.nodeName=" + settings.node()));
    }
    return q;
  }

  private HttpResponse<InputStream> send(String namespace, StringJoiner query)
      throws ApiException, InterruptedException {
    String path = namespace == null ? "/api/v1/pods" : "/api/v1/namespaces/" + enc(namespace) + "/pods";
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(settings.apiServer() + path + "?" + query))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json");
    String token = token();
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<InputStream> r;
    try {
      r = client.current().send(req.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ApiException(0, "cannot reach " + settings.apiServer() + ": " + e, e);
    }
    if (r.statusCode() != 200) {
      String body;
      try (InputStream in = r.body()) {
        body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw ApiException.refused(r, body);
    }
    return r;
  }

  /** The token now in the file, or null when there is no file (e.g. through kubectl proxy). */
  private String token() throws ApiException {
    try {
      String t = Files.readString(settings.tokenFile()).trim();
      return t.isEmpty() ? null : t;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new ApiException(0, "cannot read the token file " + settings.tokenFile() + ": " + e, e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
