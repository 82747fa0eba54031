package dev.leakwatch.http;

import dev.leakwatch.query.JsonCodec;
import dev.leakwatch.query.QueryApi;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Supplier;

/**
 * Operational endpoints, as Kubernetes means them: {@code /healthz} (liveness: the process serves
 * HTTP; restarting it would not help otherwise), {@code /readyz} (readiness: Kafka Streams is
 * RUNNING and every store this instance holds answers; 503 with the reasons otherwise, so traffic
 * goes elsewhere during a rebalance or restoration) and {@code /metrics} (Prometheus text format).
 */
final class OpsRoutes {

  /** Liveness, readiness and metrics paths. */
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String METRICS = "/metrics";

  /** The readiness answer. */
  record Status(String status, List<String> problems) {}

  private final Supplier<QueryApi> api;
  private final ProcessorMetrics metrics;

  /** @param api the query API, or a supplier of null while the processor is starting */
  OpsRoutes(Supplier<QueryApi> api, ProcessorMetrics metrics) {
    this.api = api;
    this.metrics = metrics;
  }

  void register(RoutesConfig routes) {
    routes.get(HEALTHZ, ctx -> write(ctx, 200, new Status("alive", List.of())));
    routes.get(READYZ, this::ready);
    routes.get(METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }

  private void ready(Context ctx) {
    QueryApi q = api.get();
    List<String> problems = q == null ? List.of("the processor is starting") : q.readinessProblems();
    write(ctx, problems.isEmpty() ? 200 : 503, new Status(problems.isEmpty() ? "ready" : "not_ready", problems));
  }

  private static void write(Context ctx, int status, Status body) {
    ctx.status(status).contentType(Responses.JSON).result(JsonCodec.write(body));
  }
}
