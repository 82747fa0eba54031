package dev.leakwatch.alerting;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in front of an Alertmanager and passes every request on to it, except that while {@code
 * readable} is false it answers reads ({@code GET}) with a 503 itself: an Alertmanager that takes
 * alerts but cannot be read back for a while, without losing what it holds as a restart would.
 */
final class ReadGate implements AutoCloseable {

  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  final URI url;
  volatile boolean readable = true;
  /** Every read asked of it, answered or not, as its path and query. */
  final List<String> reads = new CopyOnWriteArrayList<>();

  ReadGate(URI target) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] in = exchange.getRequestBody().readAllBytes();
      String pathAndQuery = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      boolean read = "GET".equals(exchange.getRequestMethod());
      if (read) {
        reads.add(pathAndQuery);
      }
      int status;
      byte[] out;
      if (read && !readable) {
        status = 503;
        out = "closed by the test's gate".getBytes();
      } else {
        try {
          HttpResponse<byte[]> passed = http.send(HttpRequest.newBuilder(URI.create(target + pathAndQuery))
              .header("Content-Type", "application/json")
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(in)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
          status = passed.statusCode();
          out = passed.body();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while passing a request on", e);
        }
      }
      exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
