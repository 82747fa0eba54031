package dev.leakwatch.http;

import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.query.UnavailableException;
import io.javalin.http.Context;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds how many queries the server handles at once ({@code http.maxConcurrentQueries}): heavy
 * queries (a week of a service's windows merged into a profile) each keep a CPU busy for seconds
 * and hold tens of MiB, and without a bound enough of them at once exhaust the heap or starve the
 * stream threads. One beyond the bound is refused at once with a retryable 503, never queued: a
 * queue would only move the pile-up into memory and latency.
 *
 * <p>Gated: every path under {@code /api/} except the internal fan-out parts. Those are leaf work
 * (answered from this instance's own stores, never waiting on another instance), asked only by
 * peers that each hold one of their own permits, so they are bounded by the peers' gates; gating
 * them here too would let two instances whose gates are full of fan-outs refuse each other's parts
 * and fail every fan-out. Health, readiness, metrics and the UI's files are never gated.
 *
 * <p>Contract: {@link #enter} runs before the handler (after authentication, so refused requests
 * take no permit) and {@link #leave} after it, whatever the handler did; a permit is held for the
 * request's handling only, and returned exactly once. {@link #inFlight}, {@link #limit} and {@link
 * #refused} only observe the gate (for {@link ProcessorMetrics}); they never change what it admits.
 */
final class QueryGate {

  /** The setting that sets the bound, as the refusal names it. */
  static final String SETTING = "http.maxConcurrentQueries";

  private static final String HELD = "leakwatch.queryGate.held";
  private static final String INTERNAL = ApiPaths.INTERNAL + "/";

  private final int limit;
  private final Semaphore permits;
  private final LongAdder refused = new LongAdder();

  QueryGate(int limit) {
    this.limit = limit;
    this.permits = new Semaphore(limit);
  }

  /** Takes a permit for a gated request, or refuses it with a retryable 503 when none is free. */
  void enter(Context ctx) {
    if (!gated(ctx.path())) {
      return;
    }
    if (!permits.tryAcquire()) {
      refused.increment();
      throw new UnavailableException("this instance is at its limit of " + limit + " concurrent queries (" + SETTING
          + "); ask again shortly");
    }
    ctx.attribute(HELD, Boolean.TRUE);
  }

  /** Returns the permit {@link #enter} took for this request, if it took one. */
  void leave(Context ctx) {
    if (Boolean.TRUE.equals(ctx.attribute(HELD))) {
      ctx.attribute(HELD, null);
      permits.release();
    }
  }

  /** The bound: most gated requests handled at once. */
  int limit() {
    return limit;
  }

  /** Gated requests being handled now (permits held). */
  int inFlight() {
    return limit - permits.availablePermits();
  }

  /** Gated requests refused since the gate was made. */
  long refused() {
    return refused.sum();
  }

  static boolean gated(String path) {
    return path.startsWith("/api/") && !path.startsWith(INTERNAL);
  }
}
