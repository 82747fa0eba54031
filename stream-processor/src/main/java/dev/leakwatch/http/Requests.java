package dev.leakwatch.http;

import dev.leakwatch.query.Call;
import dev.leakwatch.query.InvalidParameterException;
import dev.leakwatch.query.Params;
import dev.leakwatch.query.QueryApi;
import dev.leakwatch.query.RangeSpec;
import dev.leakwatch.web.MalformedQueryException;
import dev.leakwatch.web.StrictQuery;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading a request: its routing identity and its parameters, strictly (unknown or repeated ones are errors). */
final class Requests {

  private static final String QUERY_ATTRIBUTE = "leakwatch.query";

  private Requests() {}

  /** The request as routing sees it (raw path and query, forwarded or not). */
  static Call call(Context ctx) {
    String q = ctx.queryString();
    return new Call(ctx.path() + (q == null || q.isEmpty() ? "" : "?" + q),
        ctx.header(HttpPeerClient.FORWARDED_HEADER) != null);
  }

  /**
   * Rejects query parameters other than {@code allowed} and any given twice, so a misspelt
   * parameter is an error rather than silently ignored.
   */
  static void allow(Context ctx, String... allowed) {
    Set<String> names = Set.of(allowed);
    for (Map.Entry<String, List<String>> e : query(ctx).entrySet()) {
      if (!names.contains(e.getKey())) {
        throw new InvalidParameterException(e.getKey(), String.join(",", e.getValue()),
            "is not a parameter of " + ctx.endpoint().path + (allowed.length == 0 ? " (it takes none)"
                : " (it takes " + String.join(", ", allowed) + ")"));
      }
      if (e.getValue().size() > 1) {
        throw new InvalidParameterException(e.getKey(), String.join(",", e.getValue()), "must be given at most once");
      }
    }
  }

  /** The validated {@code {service}} path parameter. */
  static String serviceName(Context ctx) {
    return Params.service(ctx.pathParam("service"));
  }

  /** A query parameter's value, or null when absent. */
  static String param(Context ctx, String name) {
    List<String> values = query(ctx).get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * The query parameters, decoded strictly once per request: a bad percent-escape or invalid
   * UTF-8 is a 400 naming the parameter, where the HTTP layer would drop or patch it.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> query(Context ctx) {
    Map<String, List<String>> parsed = (Map<String, List<String>>) ctx.attribute(QUERY_ATTRIBUTE);
    if (parsed == null) {
      try {
        parsed = StrictQuery.parse(ctx.queryString());
      } catch (MalformedQueryException e) {
        throw new InvalidParameterException(e.parameter() == null ? "(name)" : e.parameter(), e.raw(),
            e.problem());
      }
      ctx.attribute(QUERY_ATTRIBUTE, parsed);
    }
    return parsed;
  }

  /** The range named by parameters {@code from} and {@code to}. */
  static RangeSpec range(Context ctx, QueryApi api) {
    return range(ctx, api, "from", "to");
  }

  static RangeSpec range(Context ctx, QueryApi api, String fromParam, String toParam) {
    return RangeSpec.parse(fromParam, param(ctx, fromParam), toParam, param(ctx, toParam), System.currentTimeMillis(),
        api.maxSpanMs());
  }
}
