package dev.leakwatch.alerting;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}, or {@code alertmanager} on the PATH)
 * in a child process on a free port, clustering off, routing every alert to a receiver that sends
 * nothing. Tests read its alerts back through its own API.
 */
public final class RealAlertmanager implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  public final URI url;

  /** The binary, when installed. */
  public static Optional<Path> binary() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .flatMap(dir -> Stream.of(Path.of(dir, "prometheus-alertmanager"), Path.of(dir, "alertmanager")))
        .filter(Files::isExecutable).findFirst();
  }

  public RealAlertmanager(Path binary, Path work) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = work.resolve("alertmanager.yml");
    Files.writeString(config, "route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n");
    url = URI.create("http://127.0.0.1:" + port);
    process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(work.resolve("alertmanager.log").toFile()).start();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get("/-/ready").statusCode() == 200);
  }

  /** The alerts Alertmanager holds as not resolved (its API leaves out those whose endsAt passed). */
  public List<JsonNode> alerts() throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(get("/api/v2/alerts").body()).forEach(out::add);
    return out;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
