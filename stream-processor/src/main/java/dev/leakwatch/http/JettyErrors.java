package dev.leakwatch.http;

import dev.leakwatch.query.ErrorBody;
import dev.leakwatch.query.JsonCodec;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before a request reaches the routes (a path with an invalid
 * escape, {@code %00} or an overlong UTF-8 sequence; a request line or headers too long), as the
 * API's JSON {@link ErrorBody} rather than Jetty's HTML page, so that every error of the server is
 * JSON. Nothing of the request is echoed back.
 */
final class JettyErrors extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Responses.JSON);
    response.write(true, ByteBuffer.wrap(JsonCodec.write(body(code, message))), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Responses.JSON);
    return ByteBuffer.wrap(JsonCodec.write(body(status, reason)));
  }

  /** The body of an error of {@code status}, with Jetty's reason (its own fixed words) or the status's name. */
  static ErrorBody body(int status, String reason) {
    String kind = switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      default -> "http_" + status;
    };
    String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    return new ErrorBody(status, kind, "the server refused the request before the API read it: " + why
        + " (see docs/API.md)", null, null, null, null);
  }
}
