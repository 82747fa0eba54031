package dev.leakwatch.http;

import static dev.leakwatch.http.Requests.allow;
import static dev.leakwatch.http.Requests.param;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.query.InstancePage;
import dev.leakwatch.query.InstanceSpan;
import dev.leakwatch.query.InvalidParameterException;
import dev.leakwatch.query.Params;
import dev.leakwatch.query.QueryApi;
import dev.leakwatch.query.ServicePage;
import dev.leakwatch.query.SuspectFilter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Fan-out parts: what one instance answers for the partitions it is asked about ({@code
 * partitions=0,3}), from its own active tasks only; 503 if it does not hold all of them. Used by
 * instances asking each other; stable enough for debugging, not part of the public contract.
 */
final class InternalRoutes {

  private final Supplier<QueryApi> api;
  private final Supplier<String> self;

  InternalRoutes(Supplier<QueryApi> api, Supplier<String> self) {
    this.api = api;
    this.self = self;
  }

  void register(RoutesConfig routes) {
    routes.get(ApiPaths.PART_SERVICES, ctx -> {
      allow(ctx, "partitions", "service", "after", "limit", "instances", "instancesAfter");
      String service = param(ctx, "service") == null ? null : Params.service(param(ctx, "service"));
      Responses.json(ctx, api.get().servicesPart(partitions(ctx), service,
          ServiceRoutes.page(ctx, ServicePage.MAX_LIMIT), instancePage(ctx)), self.get());
    });
    routes.get(ApiPaths.PART_SERIES, ctx -> {
      allow(ctx, "partitions", "service", "site", "kind", "from", "to", "after", "through");
      QueryApi q = api.get();
      Responses.json(ctx, q.seriesPart(partitions(ctx), Params.service(param(ctx, "service")),
          Params.hex64("site", param(ctx, "site")), Params.seriesKind(param(ctx, "kind"), ProfileKind.HEAP),
          Requests.range(ctx, q), span(ctx)), self.get());
    });
    routes.get(ApiPaths.PART_LABELS, ctx -> {
      allow(ctx, "partitions", "service", "after", "through");
      Responses.json(ctx, api.get().labelsPart(partitions(ctx), Params.service(param(ctx, "service")), span(ctx)),
          self.get());
    });
    routes.get(ApiPaths.PART_SUSPECTS, ctx -> {
      allow(ctx, "partitions", "status", "after", "limit");
      SuspectFilter filter = Params.suspectFilter(param(ctx, "status"), SuspectFilter.OPEN);
      Responses.json(ctx, api.get().suspectsPart(partitions(ctx), filter, SuspectRoutes.page(ctx)), self.get());
    });
    routes.get(ApiPaths.PART_SUSPECT, ctx -> {
      allow(ctx, "partitions");
      String id = Params.suspectId(ctx.pathParam("id"));
      Responses.json(ctx, api.get().suspectPart(partitions(ctx), id), self.get());
    });
  }

  /**
   * The instances of each service a services part holds entries of: {@code instances} of them after
   * {@code instancesAfter}; all of them when {@code instances} is absent, as an instance of the
   * release before instance pages asks (and reads the part's entries only).
   */
  private static InstancePage instancePage(Context ctx) {
    if (param(ctx, "instances") == null) {
      if (param(ctx, "instancesAfter") != null) {
        throw new InvalidParameterException("instancesAfter", param(ctx, "instancesAfter"),
            "is only taken with 'instances'");
      }
      return InstancePage.all();
    }
    String after = param(ctx, "instancesAfter") == null ? null
        : Params.instance("instancesAfter", param(ctx, "instancesAfter"));
    return new InstancePage(after, Params.intIn("instances", param(ctx, "instances"), InstancePage.DEFAULT_LIMIT, 0,
        InstancePage.MAX_LIMIT));
  }

  /**
   * The instances a series part answers: those after {@code after} through {@code through}, the
   * bounds of the asking instance's page; every instance when both are absent, as an instance of
   * the release before series pages asks.
   */
  private static InstanceSpan span(Context ctx) {
    if (param(ctx, "through") == null) {
      if (param(ctx, "after") != null) {
        throw new InvalidParameterException("after", param(ctx, "after"), "is only taken with 'through'");
      }
      return InstanceSpan.ALL;
    }
    String after = param(ctx, "after") == null ? null : Params.instance("after", param(ctx, "after"));
    return new InstanceSpan(after, Params.instance("through", param(ctx, "through")));
  }

  private static Set<Integer> partitions(Context ctx) {
    return Params.partitions(param(ctx, "partitions"));
  }
}
