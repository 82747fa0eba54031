package dev.leakwatch.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The UI's files (the same fixed list the processor serves) next to a query API that answers what a
 * test scripted: each {@code /api/...} path (without its query) gets the JSON given for it, anything
 * else a 404 in the API's error shape. Every API request is recorded, query included, so a test can
 * check what the UI asked. For views whose truth needs data a recording cannot give on demand (an
 * empty range, hundreds of thin stacks, a browser in another time zone), in a second instead of a
 * broker's minute.
 */
final class ScriptedApi implements AutoCloseable {

  private final HttpServer server;
  private final UiAssets assets = UiAssets.load();
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final Map<String, Scripted> answersWhen = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();

  ScriptedApi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** From now on, {@code path} (e.g. {@code /api/v1/services/svc/top}) answers 200 with {@code json}. */
  ScriptedApi answer(String path, String json) {
    answers.put(path, json);
    return this;
  }

  /** A scripted answer: its status and JSON body. */
  private record Scripted(int status, String json) {}

  /**
   * From now on, {@code path} asked with every parameter of {@code query} among its own (e.g. {@code
   * from=123}, or {@code from=123&stacks=00000000000000a1}, as the UI encodes them) answers 200 with
   * {@code json}, before what {@link #answer} gave for the path. When several such answers fit a
   * request, the one naming the most parameters is given.
   */
  ScriptedApi answerWhen(String path, String query, String json) {
    return answerWhen(path, query, 200, json);
  }

  /** As {@link #answerWhen(String, String, String)}, with an error's {@code status} (the body in the API's error shape). */
  ScriptedApi answerWhen(String path, String query, int status, String json) {
    answersWhen.put(path + "?" + query, new Scripted(status, json));
    return this;
  }

  /** The API requests so far, as path and query ({@code /api/v1/services/svc/top?metric=...}), oldest first. */
  List<String> asked() {
    return List.copyOf(asked);
  }

  void forget() {
    asked.clear();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) {
        String query = ex.getRequestURI().getRawQuery();
        String decoded = ex.getRequestURI().getPath();
        asked.add(decoded + (query == null ? "" : "?" + query));
        List<String> params = query == null ? List.of() : List.of(query.split("&"));
        Scripted fixed = answers.containsKey(decoded) ? new Scripted(200, answers.get(decoded)) : null;
        Scripted scripted = answersWhen.entrySet().stream()
            .filter(e -> e.getKey().startsWith(decoded + "?"))
            .map(e -> Map.entry(List.of(e.getKey().substring(decoded.length() + 1).split("&")), e.getValue()))
            .filter(e -> params.containsAll(e.getKey()))
            .max(Comparator.comparingInt(e -> e.getKey().size())).map(Map.Entry::getValue).orElse(fixed);
        send(ex, scripted == null ? 404 : scripted.status(), "application/json", scripted != null ? scripted.json()
            : "{\"status\":404,\"error\":\"not_found\",\"message\":\"nothing scripted for " + decoded + "\"}");
        return;
      }
      var asset = assets.find(path);
      if (asset.isEmpty()) {
        send(ex, 404, "text/plain", "not found");
        return;
      }
      ex.getResponseHeaders().set("Content-Type", asset.get().contentType());
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      ex.sendResponseHeaders(200, asset.get().bytes().length);
      ex.getResponseBody().write(asset.get().bytes());
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
