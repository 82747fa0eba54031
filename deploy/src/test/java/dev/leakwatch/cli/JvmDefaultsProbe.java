package dev.leakwatch.cli;

import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Run in a child JVM by {@link JvmDefaultsTest}: applies {@link JvmDefaults} as {@code main} does, makes
 * {@code args[0]} HTTP requests with {@code sendAsync} one after another, as the agent and the peer client do,
 * and prints how many threads the JVM started meanwhile.
 */
public final class JvmDefaultsProbe {

  public static void main(String[] args) throws Exception {
    JvmDefaults.apply();
    int requests = Integer.parseInt(args[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    // a first exchange starts the client's own threads, which are not what is measured
    client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).join();
    long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    for (int i = 0; i < requests; i++) {
      client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
          .thenApply(HttpResponse::body).join();
    }
    long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
    server.stop(0);
    System.out.println("threads started: " + started);
  }
}
