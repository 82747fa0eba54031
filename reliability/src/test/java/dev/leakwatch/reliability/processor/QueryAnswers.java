package dev.leakwatch.reliability.processor;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.query.ApiPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The campaign's questions to the query API and an instance's answers: every endpoint that reads
 * a store (services, instances, top by every metric kind, merged profiles, suspects, their events,
 * history and evidence series) for every service and suspect. Answers are compared as bytes: the
 * API promises deterministic answers. A {@code 503} (partitions moving or restoring) is retried
 * as its {@code Retry-After} asks, within a bound.
 */
final class QueryAnswers {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long an instance may keep answering 503 before the question counts as unanswered. */
  static final Duration ANSWER_BOUND = Duration.ofSeconds(60);

  private QueryAnswers() {}

  /** One answer: status and body ({@code sha256:} of it for binary profiles). */
  record Answer(int status, String body) {}

  /** The header naming the instance that computed an answer ({@code host:port}). */
  static final String SERVED_BY = "Leakwatch-Served-By";

  /** The questions for these services and suspects, in a stable order. */
  static List<String> questions(List<String> services, Map<String, String> suspects) {
    List<String> q = new ArrayList<>(List.of(ApiPaths.SERVICES, ApiPaths.SUSPECTS + "?status=all"));
    for (String s : services) {
      String base = ApiPaths.fill(ApiPaths.SERVICE, s);
      q.add(base);
      q.add(base + "/instances");
      for (String metric : List.of("inuse_space", "alloc_space", "alloc_objects", "goroutines")) {
        q.add(base + "/top?metric=" + metric + "&limit=1000&frames=1024");
      }
      q.add(base + "/profile?type=heap");
      q.add(base + "/profile?type=goroutine");
      q.add(base + "/suspects?status=all");
      q.add(base + "/suspects/history?limit=1000");
    }
    suspects.forEach((id, service) -> {
      q.add(ApiPaths.fill(ApiPaths.SUSPECT, id));
      q.add(ApiPaths.fill(ApiPaths.SUSPECT_SERIES, service, id));
    });
    return q;
  }

  /** Every answer of the instance at {@code port}, by question. */
  static SortedMap<String, Answer> of(int port, List<String> questions) {
    SortedMap<String, Answer> out = new TreeMap<>();
    questions.forEach(q -> out.put(q, ask(port, q)));
    return out;
  }

  /** Every current suspect (open or candidate) the instance knows: id to service, sorted by id. */
  static SortedMap<String, String> suspects(int port) {
    SortedMap<String, String> ids = new TreeMap<>();
    try {
      JsonNode all = JSON.readTree(ask(port, ApiPaths.SUSPECTS + "?status=all").body());
      all.get("suspects").forEach(s -> ids.put(s.get("suspectId").asText(), s.get("service").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  /** The answer, after retrying 503s for up to {@link #ANSWER_BOUND}. */
  static Answer ask(int port, String question) {
    AtomicReference<Answer> answer = new AtomicReference<>();
    await().atMost(ANSWER_BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
        .until(() -> {
          answer.set(once(port, question));
          return answer.get().status() != 503;
        });
    return answer.get();
  }

  /** One GET, no retry. */
  static Answer once(int port, String question) {
    HttpResponse<byte[]> r = send(port, question);
    boolean binary = r.headers().firstValue("Content-Type").orElse("").startsWith("application/octet-stream");
    return new Answer(r.statusCode(), binary ? sha256(r.body()) : new String(r.body(), StandardCharsets.UTF_8));
  }

  /** The instance ({@code host:port}) that answers {@code question} with a 200, or "" for another status. */
  static String servedBy(int port, String question) {
    HttpResponse<byte[]> r = send(port, question);
    return r.statusCode() == 200 ? r.headers().firstValue(SERVED_BY).orElse("") : "";
  }

  private static HttpResponse<byte[]> send(int port, String question) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + question))
        .timeout(Duration.ofSeconds(30)).GET().build();
    try {
      return CLIENT.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The questions whose answers differ, with both answers cut short, for a failure message. */
  static String differences(Map<String, Answer> expected, Map<String, Answer> actual) {
    StringBuilder s = new StringBuilder();
    for (String q : expected.keySet()) {
      if (!expected.get(q).equals(actual.get(q))) {
        s.append("\n").append(q).append("\n  reference: ").append(cut(expected.get(q)))
            .append("\n  campaign:  ").append(cut(actual.get(q)));
      }
    }
    return s.toString();
  }

  private static String cut(Answer a) {
    if (a == null) {
      return "(none)";
    }
    String text = a.status() + " " + a.body();
    return text.length() > 400 ? text.substring(0, 400) + "..." : text;
  }

  private static String sha256(byte[] body) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
