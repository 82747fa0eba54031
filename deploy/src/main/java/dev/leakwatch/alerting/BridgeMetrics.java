package dev.leakwatch.alerting;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge's own health, so that a bridge that cannot deliver is seen before a leak goes unpaged
 * ({@code LeakwatchAlertBridgeFailing} in deploy/prometheus): {@code GET /metrics} in Prometheus text
 * format, {@code GET /healthz} 200 while the process runs.
 *
 * <ul>
 *   <li>{@code leakwatch_alerts_rounds_total{outcome}}: rounds, {@code ok} when the API and every
 *       Alertmanager answered, else {@code failed};
 *   <li>{@code leakwatch_alerts_last_success_timestamp_seconds}: when the latest {@code ok} round ran
 *       (0 before the first);
 *   <li>{@code leakwatch_alerts_firing}: alerts posted firing by the latest round;
 *   <li>{@code leakwatch_alerts_opened_total}, {@code leakwatch_alerts_resolved_total}: suspects that
 *       started or stopped firing;
 *   <li>{@code leakwatch_alerts_adopted_total}: alerts a previous run posted, read back from an
 *       Alertmanager and taken over (after a restart);
 *   <li>{@code leakwatch_alerts_alertmanagers_unread}: Alertmanagers not read back yet since the start
 *       (0 once each has answered once): while above 0, what a previous run posted there may linger.
 * </ul>
 */
public final class BridgeMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter ok = Counter.builder("leakwatch.alerts.rounds").tag("outcome", "ok").register(registry);
  private final Counter failed = Counter.builder("leakwatch.alerts.rounds").tag("outcome", "failed").register(registry);
  private final Counter opened = Counter.builder("leakwatch.alerts.opened").register(registry);
  private final Counter resolved = Counter.builder("leakwatch.alerts.resolved").register(registry);
  private final Counter adopted = Counter.builder("leakwatch.alerts.adopted").register(registry);
  private final AtomicLong unread = registry.gauge("leakwatch.alerts.alertmanagers.unread", new AtomicLong());
  private final AtomicLong firing = registry.gauge("leakwatch.alerts.firing", new AtomicLong());
  private final AtomicLong lastSuccess = registry.gauge("leakwatch.alerts.last.success.timestamp.seconds",
      new AtomicLong());
  private HttpServer server;

  /** Counts a round that ran at {@code at}. */
  public void record(AlertBridge.Round round, Instant at) {
    (round.problems().isEmpty() ? ok : failed).increment();
    if (round.problems().isEmpty()) {
      lastSuccess.set(at.getEpochSecond());
    }
    opened.increment(round.opened());
    resolved.increment(round.resolved());
    firing.set(round.firing());
    adopted.increment(round.adopted());
    unread.set(round.unread());
  }

  /** The Prometheus text of the metrics above. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Serves {@code /metrics} and {@code /healthz} on {@code host:port} (port 0: any free one).
   *
   * @return the bound port
   */
  public int serve(String host, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      int status = 200;
      String type = "text/plain; charset=utf-8";
      if (!"GET".equals(exchange.getRequestMethod())) {
        status = 405;
        body = "only GET\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Allow", "GET");
      } else if (path.equals("/metrics")) {
        body = scrape().getBytes(StandardCharsets.UTF_8);
        type = "text/plain; version=0.0.4; charset=utf-8";
      } else if (path.equals("/healthz")) {
        body = "ok\n".getBytes(StandardCharsets.UTF_8);
      } else {
        status = 404;
        body = "not found: the bridge serves /metrics and /healthz\n".getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
