package dev.leakwatch.agent;

import dev.leakwatch.agent.config.HttpSettings;
import dev.leakwatch.agent.http.JsonResponses;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.push.PushEndpoint;
import dev.leakwatch.agent.push.PushRejection;
import dev.leakwatch.agent.scrape.ScrapeManager;
import dev.leakwatch.web.BodyDeadline;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's HTTP server (Javalin): {@code GET /metrics} (Prometheus text), {@code GET /healthz},
 * {@code GET /targets} (the running targets, their health and source: {@code config} or {@code
 * kubernetes}; JSON, in pages: {@link TargetsPage}) and, when enabled, {@code POST
 * /ingest} (see {@link PushEndpoint}).
 */
final class AgentHttpServer implements AutoCloseable {
  private final Javalin app;

  AgentHttpServer(
      HttpSettings settings,
      PrometheusMeterRegistry registry,
      Supplier<List<ScrapeManager.TargetStatus>> targets,
      Function<TargetId, String> origin,
      PushEndpoint push) {
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.http.prefer405over404 = true;
              cfg.jetty.host = settings.host();
              cfg.jetty.port = settings.port();
              cfg.jetty.modifyServer(s -> s.setHandler(new BodyDeadline(settings.bodyTimeout())));
              cfg.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(registry.scrape()));
              cfg.routes.get("/healthz", ctx -> JsonResponses.send(ctx, 200, Map.of("status", "ok")));
              cfg.routes.get("/targets", ctx -> TargetsPage.answer(ctx, targets.get(), origin));
              if (push != null) {
                cfg.routes.post("/ingest", push);
                cfg.routes.exception(PushRejection.class, push::reject);
              }
            });
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  int start() {
    app.start();
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
