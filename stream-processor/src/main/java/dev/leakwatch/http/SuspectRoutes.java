package dev.leakwatch.http;

import static dev.leakwatch.http.Requests.allow;
import static dev.leakwatch.http.Requests.call;
import static dev.leakwatch.http.Requests.param;
import static dev.leakwatch.http.Requests.serviceName;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.query.InvalidParameterException;
import dev.leakwatch.query.Params;
import dev.leakwatch.query.QueryApi;
import dev.leakwatch.query.SuspectFilter;
import dev.leakwatch.query.SuspectPage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;

/** Routes about leak suspects (current, one, history) and the per-instance series behind them. */
final class SuspectRoutes {

  /** Default and largest number of events of a history. */
  static final int DEFAULT_EVENTS = 100;
  static final int MAX_EVENTS = 1000;

  private final Supplier<QueryApi> api;
  private final Supplier<String> self;

  SuspectRoutes(Supplier<QueryApi> api, Supplier<String> self) {
    this.api = api;
    this.self = self;
  }

  void register(RoutesConfig routes) {
    routes.get(ApiPaths.SUSPECTS, this::suspects);
    routes.get(ApiPaths.SUSPECT, this::suspect);
    routes.get(ApiPaths.SERVICE_SUSPECTS, this::serviceSuspects);
    // Before SERVICE_SUSPECT, whose {id} would otherwise take "history".
    routes.get(ApiPaths.SERVICE_HISTORY, this::history);
    routes.get(ApiPaths.SERVICE_SUSPECT, this::serviceSuspect);
    routes.get(ApiPaths.SUSPECT_SERIES, this::suspectSeries);
    routes.get(ApiPaths.SITE_SERIES, this::siteSeries);
  }

  private void suspects(Context ctx) {
    allow(ctx, "status", "after", "limit");
    Responses.json(ctx, api.get().suspects(filter(ctx), page(ctx)), self.get());
  }

  private void suspect(Context ctx) {
    allow(ctx);
    Responses.json(ctx, api.get().suspect(id(ctx)), self.get());
  }

  private void serviceSuspects(Context ctx) {
    allow(ctx, "status");
    Responses.routed(ctx, api.get().serviceSuspects(call(ctx), serviceName(ctx), filter(ctx)));
  }

  private void serviceSuspect(Context ctx) {
    allow(ctx);
    Responses.routed(ctx, api.get().serviceSuspect(call(ctx), serviceName(ctx), id(ctx)));
  }

  private void history(Context ctx) {
    allow(ctx, "from", "to", "limit");
    QueryApi q = api.get();
    String service = serviceName(ctx);
    int limit = Params.intIn("limit", param(ctx, "limit"), DEFAULT_EVENTS, 1, MAX_EVENTS);
    Responses.routed(ctx, q.history(call(ctx), service, Requests.range(ctx, q), limit));
  }

  private void suspectSeries(Context ctx) {
    allow(ctx, "from", "to", "after", "limit");
    QueryApi q = api.get();
    String service = serviceName(ctx);
    Responses.json(ctx, q.suspectSeries(service, id(ctx), Requests.range(ctx, q), ServiceRoutes.instancePage(ctx)),
        self.get());
  }

  private void siteSeries(Context ctx) {
    allow(ctx, "kind", "instance", "from", "to", "after", "limit");
    QueryApi q = api.get();
    String service = serviceName(ctx);
    long site = Params.hex64("siteId", ctx.pathParam("siteId"));
    ProfileKind kind = Params.seriesKind(param(ctx, "kind"), ProfileKind.HEAP);
    String instance = param(ctx, "instance") == null ? null : Params.instance(param(ctx, "instance"));
    // one instance is no page: refused rather than ignored, and not sent to an owner of an older release
    for (String paging : new String[] {"after", "limit"}) {
      if (instance != null && param(ctx, paging) != null) {
        throw new InvalidParameterException(paging, param(ctx, paging), "is not taken with 'instance'");
      }
    }
    Responses.routed(ctx, q.siteSeries(call(ctx), service, site, kind, instance, Requests.range(ctx, q),
        ServiceRoutes.instancePage(ctx)));
  }

  private static SuspectFilter filter(Context ctx) {
    return Params.suspectFilter(param(ctx, "status"), SuspectFilter.OPEN);
  }

  /** The page of the fleet-wide listing: {@code after} the previous page's {@code next}, {@code limit} suspects. */
  static SuspectPage page(Context ctx) {
    return Params.suspectPage(param(ctx, "after"), param(ctx, "limit"));
  }

  private static String id(Context ctx) {
    return Params.suspectId(ctx.pathParam("id"));
  }
}
