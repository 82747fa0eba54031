package dev.leakwatch.http;

import static dev.leakwatch.http.Requests.allow;
import static dev.leakwatch.http.Requests.call;
import static dev.leakwatch.http.Requests.param;
import static dev.leakwatch.http.Requests.serviceName;

import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.query.InstancePage;
import dev.leakwatch.query.InvalidParameterException;
import dev.leakwatch.query.Metric;
import dev.leakwatch.query.Params;
import dev.leakwatch.query.QueryApi;
import dev.leakwatch.query.RangeSpec;
import dev.leakwatch.query.Section;
import dev.leakwatch.query.ServicePage;
import dev.leakwatch.query.StackRequests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;
import java.util.function.Supplier;

/** Routes about services and their stacks: listing, live instances, top, diff, profiles. */
final class ServiceRoutes {

  private final Supplier<QueryApi> api;
  private final Supplier<String> self;

  ServiceRoutes(Supplier<QueryApi> api, Supplier<String> self) {
    this.api = api;
    this.self = self;
  }

  void register(RoutesConfig routes) {
    routes.get(ApiPaths.SERVICES, this::services);
    routes.get(ApiPaths.SERVICE, this::service);
    routes.get(ApiPaths.INSTANCES, this::instances);
    routes.get(ApiPaths.TOP, this::top);
    routes.get(ApiPaths.DIFF, this::diff);
    routes.get(ApiPaths.PROFILE, ctx -> profile(ctx, false));
    routes.get(ApiPaths.PROFILE_DIFF, ctx -> profile(ctx, true));
  }

  /**
   * The listing's page: {@code limit} services (by default as many as {@link ServicePage#MAX_INSTANCES}
   * allows, at most 1000) with {@code instances} instances each.
   */
  private void services(Context ctx) {
    allow(ctx, "after", "limit", "instances");
    int instances = Params.intIn("instances", param(ctx, "instances"), InstancePage.DEFAULT_LIMIT, 0,
        InstancePage.MAX_LIMIT);
    int most = ServicePage.maxLimit(instances);
    ServicePage page = page(ctx, most);
    if (page.limit() > most) {
      throw new InvalidParameterException("limit", param(ctx, "limit"), "must be at most " + most + " with instances="
          + instances + ": a page lists at most " + ServicePage.MAX_INSTANCES + " instances (limit × instances)");
    }
    Responses.json(ctx, api.get().services(page, instances), self.get());
  }

  /** The page of the listing asked for: {@code after} a service name, {@code limit} services (default {@code fallback}). */
  static ServicePage page(Context ctx, int fallback) {
    String after = param(ctx, "after") == null ? null : Params.service("after", param(ctx, "after"));
    return new ServicePage(after, Params.intIn("limit", param(ctx, "limit"), fallback, 1, ServicePage.MAX_LIMIT));
  }

  private void service(Context ctx) {
    allow(ctx, "after", "limit");
    Responses.json(ctx, api.get().service(serviceName(ctx), instancePage(ctx)), self.get());
  }

  private void instances(Context ctx) {
    allow(ctx, "after", "limit");
    Responses.routed(ctx, api.get().live(call(ctx), serviceName(ctx), instancePage(ctx)));
  }

  /** The page of a service's instances asked for: {@code after} an instance name, {@code limit} instances. */
  static InstancePage instancePage(Context ctx) {
    String after = param(ctx, "after") == null ? null : Params.instance("after", param(ctx, "after"));
    return new InstancePage(after, Params.intIn("limit", param(ctx, "limit"), InstancePage.DEFAULT_LIMIT, 1,
        InstancePage.MAX_LIMIT));
  }

  /**
   * The heaviest {@code limit} stacks, or with {@code stacks} those of the given ids that have a value.
   * The request goes to the owner as asked: an owner of a release before {@code stacks} refuses the
   * parameter (400 naming it), so it is never answered as a plain top list.
   */
  private void top(Context ctx) {
    allow(ctx, "metric", "from", "to", "limit", "frames", "stacks");
    QueryApi q = api.get();
    Set<Long> stacks = param(ctx, "stacks") == null ? null : Params.stackIds("stacks", param(ctx, "stacks"));
    if (stacks != null && param(ctx, "limit") != null) {
      // the ids say which rows: a limit would silently drop some of them
      throw new InvalidParameterException("limit", param(ctx, "limit"), "is not taken with 'stacks'");
    }
    StackRequests.Top r = new StackRequests.Top(serviceName(ctx), Params.metric(param(ctx, "metric"), Metric.INUSE_SPACE),
        Requests.range(ctx, q), stacks == null ? limit(ctx) : stacks.size(), frames(ctx), stacks);
    Responses.routed(ctx, q.top(call(ctx), r));
  }

  private void diff(Context ctx) {
    allow(ctx, "metric", "baseFrom", "baseTo", "from", "to", "limit", "frames");
    QueryApi q = api.get();
    StackRequests.Diff r = new StackRequests.Diff(serviceName(ctx),
        Params.metric(param(ctx, "metric"), Metric.INUSE_SPACE), Requests.range(ctx, q, "baseFrom", "baseTo"),
        Requests.range(ctx, q), limit(ctx), frames(ctx));
    Responses.routed(ctx, q.diff(call(ctx), r));
  }

  private void profile(Context ctx, boolean diff) {
    if (diff) {
      allow(ctx, "type", "baseFrom", "baseTo", "from", "to");
    } else {
      allow(ctx, "type", "from", "to");
    }
    QueryApi q = api.get();
    String service = serviceName(ctx);
    Section section = Params.section("type", param(ctx, "type"), Section.HEAP);
    RangeSpec base = diff ? Requests.range(ctx, q, "baseFrom", "baseTo") : null;
    StackRequests.Profile r = new StackRequests.Profile(service, section, Requests.range(ctx, q), base);
    Responses.bytes(ctx, q.profile(call(ctx), r), "application/octet-stream",
        Responses.filename(service, section.label(), diff ? "diff.pb.gz" : "merged.pb.gz"));
  }

  private static int limit(Context ctx) {
    return Params.intIn("limit", param(ctx, "limit"), StackRequests.DEFAULT_LIMIT, 1, StackRequests.MAX_LIMIT);
  }

  private static int frames(Context ctx) {
    return Params.intIn("frames", param(ctx, "frames"), StackRequests.DEFAULT_FRAMES, 1, StackRequests.MAX_FRAMES);
  }
}
