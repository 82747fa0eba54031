package dev.leakwatch.agent.push;

import dev.leakwatch.agent.buffer.ProfileBuffer;
import dev.leakwatch.agent.http.JsonResponses;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.Envelopes;
import dev.leakwatch.agent.model.ProfileCheck;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import dev.leakwatch.web.MalformedQueryException;
import dev.leakwatch.web.StrictQuery;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /ingest}: accepts one pprof profile (gzip'd or plain) described by query parameters
 * (see {@link PushRequest}) and queues it for Kafka.
 *
 * <p>Checks run cheapest first: token (401/403; 400 for two Authorization headers), parameters
 * (400, including undecodable escapes), declared size (413, nothing read), body read with the
 * size bound enforced as it streams in (413) and the body deadline (408, see {@link
 * dev.leakwatch.web.BodyDeadline}), pprof sniff (400), room in the
 * buffer (503 with {@code Retry-After}; a pusher can retry, so nobody's profile is evicted for
 * it). Success is 202: the profile is buffered, not yet acknowledged by Kafka. Every refusal is a
 * JSON body naming the problem, rendered by {@link #reject}.
 */
public final class PushEndpoint implements Handler {
  /** Seconds a client is told to wait after a 503. */
  static final int RETRY_AFTER_SECONDS = 5;

  private final BearerAuth auth;
  private final long maxBodyBytes;
  private final ProfileBuffer buffer;
  private final AgentMetrics metrics;
  private final String agentId;
  private final Clock clock;

  public PushEndpoint(
      BearerAuth auth,
      long maxBodyBytes,
      ProfileBuffer buffer,
      AgentMetrics metrics,
      String agentId,
      Clock clock) {
    this.auth = auth;
    this.maxBodyBytes = maxBodyBytes;
    this.buffer = buffer;
    this.metrics = metrics;
    this.agentId = agentId;
    this.clock = clock;
  }

  @Override
  public void handle(Context ctx) {
    auth.check(Collections.list(ctx.req().getHeaders("Authorization")));
    PushRequest req = PushRequest.parse(query(ctx.queryString()), clock.instant());
    byte[] body = BoundedBody.read(ctx.bodyInputStream(), ctx.req().getContentLengthLong(), maxBodyBytes);
    ProfileCheck.rejection(body)
        .ifPresent(
            r -> {
              throw new PushRejection(400, "not_pprof", "body is not a pprof profile: " + r);
            });
    ProfileEnvelope env =
        Envelopes.pushed(
            req.id(), req.kind(), req.captureTime(), req.labels(), req.memoryLimitBytes(), body,
            agentId);
    if (!buffer.tryOffer(req.id().recordKey(), env)) {
      throw new PushRejection(
          503, "buffer_full",
          "the agent's buffer is full (Kafka is slow or unreachable); retry later");
    }
    metrics.push(202);
    Map<String, Object> ok = new LinkedHashMap<>();
    ok.put("status", "accepted");
    ok.put("key", req.id().recordKey());
    ok.put("type", req.kind().endpoint());
    ok.put("captureTime", env.getCaptureTime().toString());
    ok.put("bytes", body.length);
    JsonResponses.send(ctx, 202, ok);
  }

  private static Map<String, List<String>> query(String raw) {
    try {
      return StrictQuery.parse(raw);
    } catch (MalformedQueryException e) {
      throw PushRejection.badParameter(e.getMessage());
    }
  }

  /** Renders a refusal: JSON body plus the headers its status calls for. */
  public void reject(PushRejection e, Context ctx) {
    metrics.push(e.status());
    if (e.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"leakwatch\"");
    } else if (e.status() == 503) {
      ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    } else if (e.status() == 413 || e.status() == 408) {
      // the rest of the body is not wanted (or not coming): close rather than drain it
      ctx.header("Connection", "close");
    }
    JsonResponses.send(ctx, e.status(), JsonResponses.error(e.status(), e.code(), e.getMessage()));
  }
}
