package dev.leakwatch.http;

import dev.leakwatch.query.ErrorBody;
import dev.leakwatch.query.JsonCodec;
import dev.leakwatch.query.Routed;
import io.javalin.http.Context;

/** Writing answers: JSON bodies, pprof bytes, answers passed through from the owner, and errors. */
final class Responses {

  /** Response header naming the instance ({@code host:port}) that computed the answer. */
  static final String SERVED_BY = "Leakwatch-Served-By";
  static final String JSON = "application/json";

  private Responses() {}

  static void json(Context ctx, Object value, String servedBy) {
    ctx.header(SERVED_BY, servedBy).status(200).contentType(JSON).result(JsonCodec.write(value));
  }

  /** A JSON answer computed here or by the owner. */
  static void routed(Context ctx, Routed<?> r) {
    if (r instanceof Routed.Local<?> l) {
      json(ctx, l.value(), l.servedBy());
    } else {
      forwarded(ctx, (Routed.Forwarded<?>) r);
    }
  }

  /** A binary answer (a profile) computed here or by the owner; errors stay JSON. */
  static void bytes(Context ctx, Routed<byte[]> r, String contentType, String filename) {
    if (r instanceof Routed.Local<byte[]> l) {
      ctx.header(SERVED_BY, l.servedBy()).status(200).contentType(contentType)
          .header("Content-Disposition", "attachment; filename=\"" + filename + "\"").result(l.value());
    } else {
      Routed.Forwarded<byte[]> f = (Routed.Forwarded<byte[]>) r;
      if (f.response().ok()) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
      }
      forwarded(ctx, f);
    }
  }

  private static void forwarded(Context ctx, Routed.Forwarded<?> f) {
    ctx.header(SERVED_BY, f.servedBy()).status(f.response().status());
    if (!f.response().contentType().isEmpty()) {
      ctx.contentType(f.response().contentType());
    }
    ctx.result(f.response().body());
  }

  static void error(Context ctx, ErrorBody body) {
    // only where asking again can help: a client told to retry a failure that cannot pass would
    // ask again every second for nothing
    if (body.status() == 503 && !Boolean.FALSE.equals(body.retryable())) {
      ctx.header("Retry-After", "1");
    }
    ctx.status(body.status()).contentType(JSON).result(JsonCodec.write(body));
  }

  /** A file name made of the given parts, with anything but letters, digits, '.', '_' and '-' replaced. */
  static String filename(String... parts) {
    return String.join("-", parts).replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
