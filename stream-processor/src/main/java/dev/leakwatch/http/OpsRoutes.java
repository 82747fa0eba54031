package dev.leakwatch.http;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 *
 * <p>Unreachable brokers do not make an instance unready: it still answers queries from its local
 * stores. {@code /readyz} then adds {@code "brokers":"unreachable for 42s"} to its answer (the value of
 * {@code leakwatch_broker_unreachable_seconds}); the field is absent while that value is 0.
 */
final class OpsRoutes {

  /** Liveness, readiness and metrics paths. */
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String METRICS = "/metrics";

  /** The liveness answer. */
  record Status(String status, List<String> problems) {}

  /**
   * The readiness answer; {@code brokers} is null (left out) unless the brokers are unreachable; {@code rules}
   * is the digest of the detection rules in force (as {@code leakwatch_detection_rules_info}), null before
   * the processor set it.
   */
  record Readiness(String status, List<String> problems, @JsonInclude(JsonInclude.Include.NON_NULL) String brokers,
      @JsonInclude(JsonInclude.Include.NON_NULL) String rules) {}

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
    long unreachable = metrics.brokerUnreachableSeconds();
    write(ctx, problems.isEmpty() ? 200 : 503, new Readiness(problems.isEmpty() ? "ready" : "not_ready", problems,
        unreachable > 0 ? "unreachable for " + unreachable + "s" : null, metrics.rulesDigest()));
  }

  private static void write(Context ctx, int status, Object body) {
    ctx.status(status).contentType(Responses.JSON).result(JsonCodec.write(body));
  }
}
