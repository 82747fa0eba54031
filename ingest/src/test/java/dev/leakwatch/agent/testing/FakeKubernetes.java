package dev.leakwatch.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A protocol double of the Kubernetes API server's pod endpoints, NOT a real API server: it serves
 * {@code /api/v1/pods} and {@code /api/v1/namespaces/<ns>/pods} as the API conventions describe,
 * and nothing else. LIST pages by {@code limit} and {@code continue} over a snapshot and reports the
 * snapshot's {@code resourceVersion}; WATCH ({@code watch=true}) streams newline-delimited JSON
 * events (chunked) after the given {@code resourceVersion}: ADDED, MODIFIED, DELETED, and
 * BOOKMARK when {@code allowWatchBookmarks=true}; a version older than the last {@link #compact()}
 * is answered with 410 Gone, as a status or as an ERROR event. {@code labelSelector} ({@code
 * k=v,...}) and {@code fieldSelector=spec.nodeName=...} filter. Requests must carry the {@link
 * #requireToken token}, if one is set; {@link #refuseNext} answers the next requests 403.
 *
 * <p>By default a watch ends once it has sent every event ({@link #holdStreams} keeps it open
 * until {@code timeoutSeconds} or {@link #endStreams()}), so that a test driving discovery's
 * attempts one by one gets each back; {@link #blackHoleNext} makes watches that never end.
 */
public final class FakeKubernetes implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as received. */
  public record Request(String path, Map<String, String> query, String authorization) {
    public boolean isWatch() {
      return "true".equals(query.get("watch"));
    }
  }

  private record Event(long rv, String type, ObjectNode pod) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final TreeMap<String, ObjectNode> pods = new TreeMap<>();
  private final List<Event> log = new ArrayList<>();
  private final Map<String, List<ObjectNode>> continues = new HashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private long rv = 100;
  private long compactedThrough;
  private int pagesServed;
  private boolean expireAsEvent;
  private boolean hold;
  private int generation;
  private int drops;
  private String token;
  private int refuse;
  private int refuseStatus;
  private String retryAfter;
  private int blackHoles;
  private int listsServed;
  private int listBlackHoles;
  private int heldList;
  private boolean closed;
  /** The resourceVersion a list from the watch cache answers with; 0: the current one. */
  private long cacheVersion;
  private boolean expireEveryWatch;

  public FakeKubernetes() throws IOException {
    this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
  }

  /** The same over HTTPS with {@code tls}'s certificate. */
  public static FakeKubernetes https(SSLContext tls) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new FakeKubernetes(s);
  }

  private FakeKubernetes(HttpServer server) {
    this.server = server;
    server.setExecutor(executor);
    server.createContext("/api/v1/", this::handle);
    server.start();
  }

  public String url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds (or replaces) a pod: an ADDED event. */
  public void add(ObjectNode pod) {
    change("ADDED", pod);
  }

  /** Changes a pod: a MODIFIED event. */
  public void modify(ObjectNode pod) {
    change("MODIFIED", pod);
  }

  /** Removes a pod: a DELETED event carrying its last state. */
  public synchronized void delete(String namespace, String name) {
    ObjectNode gone = pods.remove(namespace + "/" + name);
    if (gone != null) {
      log.add(new Event(++rv, "DELETED", stamp(gone.deepCopy(), rv)));
      notifyAll();
    }
  }

  /** Sends a BOOKMARK at the current resourceVersion to watches that allow them. */
  public synchronized void bookmark() {
    log.add(new Event(++rv, "BOOKMARK", null));
    notifyAll();
  }

  /** Forgets the history: a watch from any earlier resourceVersion gets 410 Gone. */
  public synchronized void compact() {
    compactedThrough = rv;
  }

  /**
   * Lists served from the watch cache ({@code resourceVersion=0}) answer with {@code version}, as a
   * cache behind etcd does (their items are the pods as they are now); lists from etcd are current.
   */
  public synchronized void cacheBehindAt(long version) {
    cacheVersion = version;
  }

  /** Answers every watch, whatever its resourceVersion, with 410 Gone. */
  public synchronized void expireEveryWatch() {
    expireEveryWatch = true;
  }

  /** Answers an expired watch with a 200 stream holding one ERROR event (code 410). */
  public synchronized void expireAsErrorEvent() {
    expireAsEvent = true;
  }

  /** Keeps watch streams open after the last event (until their timeout or {@link #endStreams}). */
  public synchronized void holdStreams() {
    hold = true;
  }

  /** Ends every open watch stream normally. */
  public synchronized void endStreams() {
    generation++;
    notifyAll();
  }

  /** Breaks every open watch stream mid-way (the connection closes without its last chunk). */
  public synchronized void dropStreams() {
    drops++;
    notifyAll();
  }

  /**
   * The next {@code count} watches send the events due, then nothing more and never end (not at
   * {@code timeoutSeconds}, nor {@link #endStreams}): a connection a load balancer dropped without
   * FIN or RST. They are released only when the double closes.
   */
  public synchronized void blackHoleNext(int count) {
    blackHoles = count;
  }

  /**
   * The {@code n}-th LIST request (counting from 1, every page) waits, unanswered, until {@link
   * #releaseList()} or the double closes: a page on its way while the test acts.
   */
  public synchronized void holdList(int n) {
    heldList = n;
  }

  /**
   * The next {@code count} LIST pages send their headers and half their body, then nothing more
   * and never end: a connection that died mid-page without FIN or RST. Released when the double
   * closes.
   */
  public synchronized void blackHoleNextLists(int count) {
    listBlackHoles = count;
  }

  /** Answers the LIST request {@link #holdList} is holding. */
  public synchronized void releaseList() {
    heldList = 0;
    notifyAll();
  }

  /** From now on only requests with {@code Authorization: Bearer <token>} are answered. */
  public synchronized void requireToken(String t) {
    token = t;
  }

  /** Answers the next {@code count} requests with {@code status} (e.g. 403). */
  public synchronized void refuseNext(int count, int status) {
    refuse = count;
    refuseStatus = status;
    retryAfter = null;
  }

  /** Answers the next {@code count} requests 429 Too Many Requests with {@code Retry-After}. */
  public synchronized void throttleNext(int count, String retryAfterHeader) {
    refuse = count;
    refuseStatus = 429;
    retryAfter = retryAfterHeader;
  }

  public synchronized long resourceVersion() {
    return rv;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    endStreams();
    server.stop(0);
    executor.shutdownNow();
  }

  private synchronized void change(String type, ObjectNode pod) {
    JsonNode meta = pod.path("metadata");
    String key = meta.path("namespace").asText() + "/" + meta.path("name").asText();
    ObjectNode stored = stamp(pod.deepCopy(), ++rv);
    pods.put(key, stored);
    log.add(new Event(rv, type, stored));
    notifyAll();
  }

  private static ObjectNode stamp(ObjectNode pod, long version) {
    ((ObjectNode) pod.path("metadata")).put("resourceVersion", Long.toString(version));
    return pod;
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    Map<String, String> q = KubernetesWire.query(ex.getRequestURI().getRawQuery());
    requests.add(new Request(path, q, ex.getRequestHeaders().getFirst("Authorization")));
    String namespace = null;
    if (path.startsWith("/api/v1/namespaces/") && path.endsWith("/pods")) {
      namespace = path.substring("/api/v1/namespaces/".length(), path.length() - "/pods".length());
    } else if (!path.equals("/api/v1/pods")) {
      KubernetesWire.status(ex, 404, "NotFound", "the double serves pods only");
      return;
    }
    synchronized (this) {
      if (token != null && !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        KubernetesWire.status(ex, 401, "Unauthorized", "Unauthorized");
        return;
      }
      if (refuse > 0) {
        refuse--;
        if (retryAfter != null) {
          ex.getResponseHeaders().set("Retry-After", retryAfter);
          KubernetesWire.status(ex, 429, "TooManyRequests", "Too many requests, please try again later.");
          return;
        }
        KubernetesWire.status(ex, refuseStatus, "Forbidden", "pods is forbidden: User \"system:serviceaccount:leakwatch:default\""
            + " cannot list resource \"pods\" in API group \"\" at the cluster scope");
        return;
      }
    }
    if ("true".equals(q.get("watch"))) {
      watch(ex, namespace, q);
    } else {
      list(ex, namespace, q);
    }
  }

  private void list(HttpExchange ex, String namespace, Map<String, String> q) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    List<ObjectNode> rest;
    synchronized (this) {
      int n = ++listsServed;
      while (n == heldList && !closed) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      String cont = q.get("continue");
      if (cont != null) {
        rest = continues.remove(cont);
        if (rest == null) {
          KubernetesWire.status(ex, 410, "Expired", "the provided continue parameter is too old");
          return;
        }
      } else {
        rest = new ArrayList<>();
        for (ObjectNode p : pods.values()) {
          if (KubernetesWire.matches(p, namespace, q)) {
            rest.add(p.deepCopy());
          }
        }
      }
      int limit = Integer.parseInt(q.getOrDefault("limit", "0"));
      List<ObjectNode> page = limit > 0 && rest.size() > limit ? rest.subList(0, limit) : rest;
      ObjectNode meta = body.putObject("metadata");
      boolean fromCache = cont == null && "0".equals(q.get("resourceVersion")) && cacheVersion > 0;
      meta.put("resourceVersion", Long.toString(fromCache ? cacheVersion : rv));
      if (page.size() < rest.size()) {
        String next = "c" + (++pagesServed);
        continues.put(next, new ArrayList<>(rest.subList(page.size(), rest.size())));
        meta.put("continue", next);
      }
      body.put("kind", "PodList");
      body.putArray("items").addAll(page);
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.sendResponseHeaders(200, bytes.length);
    boolean blackHole;
    synchronized (this) {
      blackHole = listBlackHoles > 0;
      listBlackHoles -= blackHole ? 1 : 0;
    }
    if (blackHole) {
      ex.getResponseBody().write(bytes, 0, bytes.length / 2);
      ex.getResponseBody().flush();
      synchronized (this) {
        while (!closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      return;
    }
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void watch(HttpExchange ex, String namespace, Map<String, String> q) throws IOException {
    long from = Long.parseLong(q.getOrDefault("resourceVersion", "0"));
    boolean bookmarks = "true".equals(q.get("allowWatchBookmarks"));
    long deadline = System.nanoTime() + Long.parseLong(q.getOrDefault("timeoutSeconds", "60")) * 1_000_000_000L;
    boolean expired;
    synchronized (this) {
      expired = from < compactedThrough || expireEveryWatch;
      if (expired && !expireAsEvent) {
        KubernetesWire.status(ex, 410, "Expired", "too old resource version: " + from + " (" + compactedThrough + ")");
        return;
      }
    }
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    // closed only on a normal end: a drop must leave the chunked body unterminated
    OutputStream out = ex.getResponseBody();
    try {
      if (expired) {
        KubernetesWire.line(out, KubernetesWire.expired(from));
        out.close();
        return;
      }
      long sent = from;
      int gen;
      int dropped;
      boolean blackHole;
      synchronized (this) {
        gen = generation;
        dropped = drops;
        blackHole = blackHoles > 0;
        blackHoles -= blackHole ? 1 : 0;
      }
      while (true) {
        List<Event> due = new ArrayList<>();
        synchronized (this) {
          for (Event e : log) {
            if (e.rv > sent) {
              due.add(e);
            }
          }
        }
        for (Event e : due) {
          sent = e.rv;
          if (e.pod == null ? bookmarks : KubernetesWire.matches(e.pod, namespace, q)) {
            ObjectNode obj = e.pod != null ? e.pod : KubernetesWire.bookmark(e.rv);
            KubernetesWire.line(out, JSON.createObjectNode().put("type", e.type).set("object", obj));
          }
        }
        out.flush();
        synchronized (this) {
          if (drops != dropped) {
            throw new IOException("dropped by the test"); // the server closes the connection
          }
          while (blackHole && !closed) {
            wait();
          }
          if (generation != gen || System.nanoTime() > deadline || (!hold && lastRv() <= sent)) {
            break;
          }
          if (lastRv() <= sent) {
            wait(50);
          }
        }
      }
      out.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long lastRv() {
    return log.isEmpty() ? 0 : log.get(log.size() - 1).rv;
  }
}
