package dev.leakwatch.http;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP layer alone: an {@link ApiServer} on a free loopback port over a {@link StubQueryApi},
 * accepting the given bearer tokens, 7-day ranges and 1 MiB peer answers.
 */
final class StubServer implements AutoCloseable {

  final StubQueryApi api = new StubQueryApi();
  final ProcessorMetrics metrics = new ProcessorMetrics();
  final ApiServer server;
  final int port;

  StubServer(String... tokens) {
    server = new ApiServer(new ApiSettings("127.0.0.1", 0, List.of(tokens), false, Duration.ofDays(7),
        Duration.ofSeconds(2), 1 << 20), metrics);
    port = server.start();
    server.attach(api, "127.0.0.1:" + port);
  }

  @Override
  public void close() {
    server.close();
    metrics.close();
  }
}
