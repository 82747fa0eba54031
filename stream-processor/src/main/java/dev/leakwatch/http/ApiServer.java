package dev.leakwatch.http;

import dev.leakwatch.query.ErrorBody;
import dev.leakwatch.query.PeerClient;
import dev.leakwatch.query.QueryApi;
import dev.leakwatch.query.QueryException;
import dev.leakwatch.query.UnavailableException;
import dev.leakwatch.ui.UiAssets;
import dev.leakwatch.web.BodyDeadline;
import dev.leakwatch.web.BodyTimeoutException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.QuietException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's HTTP server (Javalin on Jetty): the versioned query API under {@code /api/v1},
 * {@code /healthz}, {@code /readyz}, {@code /metrics} and the web UI at {@code /} ({@link UiRoutes}). Binds {@link ApiSettings#host()} (loopback
 * by default). With tokens configured, {@code /api/**} (and {@code /metrics} if asked) need a
 * bearer token. Started before Kafka Streams (its port is the advertised {@code application.server});
 * until {@link #attach} the API answers 503. A request body (the UI's login form) that has not
 * arrived in full {@link ApiSettings#bodyTimeout()} after its headers is answered 408. At most
 * {@link ApiSettings#maxConcurrentQueries()} queries are handled at once ({@link QueryGate}, its in-flight
 * queries and refusals on {@code /metrics}). Every error
 * is a JSON {@link ErrorBody}.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /**
   * Longest request line plus headers read (Jetty's default is 8 KiB): a top request naming
   * {@link dev.leakwatch.query.StackRequests#MAX_STACK_IDS} stack ids is about 17 KB (19 KB with escaped commas).
   */
  public static final int MAX_REQUEST_HEAD_BYTES = 32 * 1024;

  private final ApiSettings settings;
  private final BearerAuth auth;
  private final QueryGate gate;
  private final Javalin app;
  private volatile QueryApi api;
  private volatile String self = "";

  public ApiServer(ApiSettings settings, ProcessorMetrics metrics) {
    this.settings = settings;
    this.auth = new BearerAuth(settings.tokens());
    this.gate = new QueryGate(settings.maxConcurrentQueries());
    metrics.bind(gate);
    Supplier<QueryApi> ready = this::requireApi;
    Supplier<String> servedBy = () -> self;
    this.app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.http.prefer405over404 = true; // a known resource asked with the wrong method is not "unknown"
      cfg.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES));
      cfg.jetty.modifyServer(server -> {
        server.setHandler(new BodyDeadline(settings.bodyTimeout()));
        server.setErrorHandler(new JettyErrors());
      });
      cfg.routes.before(this::authorize);
      // matched like the route itself (which also answers "/metrics/"), not by comparing raw paths
      cfg.routes.before(OpsRoutes.METRICS, ctx -> {
        if (settings.metricsRequireToken()) {
          auth.check(ctx);
        }
      });
      cfg.routes.before(gate::enter); // after authorize: a refused request takes no permit
      cfg.routes.after(gate::leave);
      new OpsRoutes(() -> api, metrics).register(cfg.routes);
      new ServiceRoutes(ready, servedBy).register(cfg.routes);
      new SuspectRoutes(ready, servedBy).register(cfg.routes);
      new InternalRoutes(ready, servedBy).register(cfg.routes);
      new UiRoutes(UiAssets.load(), auth).register(cfg.routes);
      cfg.routes.exception(QueryException.class, (e, ctx) -> Responses.error(ctx, ErrorBody.of(e)));
      cfg.routes.exception(BearerAuth.AuthException.class, (e, ctx) -> {
        if (e.status == 401) {
          ctx.header("WWW-Authenticate", "Bearer realm=\"leakwatch\"");
        }
        String kind = switch (e.status) {
          case 400 -> "bad_request";
          case 401 -> "unauthorized";
          default -> "forbidden";
        };
        Responses.error(ctx, new ErrorBody(e.status, kind, e.getMessage(), null, null, null, null));
      });
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        BodyTimeoutException timeout = BodyTimeoutException.in(e);
        if (timeout != null) {
          ctx.header("Connection", "close");
          Responses.error(ctx, new ErrorBody(408, "timeout", timeout.getMessage(), null, null, null, null));
          return;
        }
        HttpException unreadable = clientFault(e);
        if (unreadable != null) {
          // the client's bytes or connection, not a bug: answered (if the client still listens), not logged
          ctx.header("Connection", "close");
          Responses.error(ctx, new ErrorBody(unreadable.getCode(), "bad_body", "could not read the request body ("
              + unreadable.getReason() + ")", null, null, null, null));
          return;
        }
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        // the cause stays in the log: its text can hold state paths, peers' addresses, library internals
        Responses.error(ctx, new ErrorBody(500, "internal", "internal error; its cause is logged with its stack trace"
            + (self.isEmpty() ? "" : " on instance " + self), null, null, null, null));
      });
      cfg.routes.exception(HttpResponseException.class, (e, ctx) -> Responses.error(ctx, httpError(e, ctx)));
    });
  }

  /**
   * The reading of a request body that failed for the client's doing (a malformed chunked body, one
   * shorter than its Content-Length, a connection closed or reset in the middle): Jetty marks these
   * {@link QuietException}. Null for any other failure, which is a bug and logged with its stack trace.
   */
  static HttpException clientFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof QuietException) {
        return t instanceof HttpException h ? h : new HttpException.RuntimeException(400, "connection ended");
      }
    }
    return null;
  }

  /** The answer to an error Javalin raised itself: an unknown resource, or a known one asked wrongly. */
  private static ErrorBody httpError(HttpResponseException e, Context ctx) {
    if (e.getStatus() == 404) {
      return new ErrorBody(404, "not_found", "no resource " + ctx.method() + " " + ctx.path() + " (see docs/API.md)",
          null, null, null, null);
    }
    if (e.getStatus() == 405) {
      String allowed = e.getDetails().getOrDefault("availableMethods", "");
      ctx.header("Allow", allowed);
      return new ErrorBody(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path() + "; use "
          + allowed + " (see docs/API.md)", null, null, null, null);
    }
    return new ErrorBody(e.getStatus(), "http_" + e.getStatus(), e.getMessage(), null, null, null, null);
  }

  /**
   * Binds and starts serving.
   *
   * @return the port bound (the configured one, or the one picked for port 0)
   * @throws IllegalStateException naming host and port when they cannot be bound
   */
  public int start() {
    try {
      app.start(settings.host(), settings.port());
    } catch (RuntimeException e) {
      // the innermost cause says why (Address already in use, Permission denied, Cannot assign requested
      // address); Javalin's and Jetty's wrappers above it say only "Failed to bind"
      Throwable why = e;
      while (why.getCause() != null) {
        why = why.getCause();
      }
      throw new IllegalStateException("cannot serve HTTP on " + settings.host() + ":" + settings.port() + ": "
          + why.getMessage(), e);
    }
    return app.port();
  }

  /** Starts answering queries with {@code queries}, as instance {@code host:port}. */
  public void attach(QueryApi queries, String hostAndPort) {
    this.self = hostAndPort;
    this.api = queries;
  }

  /** A client for asking other instances, with this server's credentials and limits. */
  public PeerClient peerClient(String hostAndPort) {
    return new HttpPeerClient(hostAndPort, auth.peerAuthorization(), settings.peerTimeout(),
        settings.maxPeerResponseBytes());
  }

  /** The bound port (after {@link #start}). */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private QueryApi requireApi() {
    QueryApi q = api;
    if (q == null) {
      throw new UnavailableException("the processor is starting; its query API is not attached yet");
    }
    return q;
  }

  private void authorize(Context ctx) {
    if (ctx.path().startsWith("/api/")) {
      auth.check(ctx);
    }
  }
}
