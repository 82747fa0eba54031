package dev.leakwatch.query;

import java.util.List;

/**
 * The JSON body of every error answer. Instances read each other's errors back into the same
 * exception ({@link #toException}), so a forwarded failure keeps its kind and wording.
 *
 * @param status HTTP status
 * @param error short kind: {@code bad_request}, {@code unauthorized}, {@code forbidden},
 *     {@code not_found}, {@code unavailable}, {@code internal}
 * @param message what went wrong, precisely
 * @param parameter for {@code bad_request}: the parameter at fault; else null
 * @param value for {@code bad_request}: its value as given (null when missing)
 * @param rule for {@code bad_request}: the rule it broke
 * @param details for {@code unavailable}: one line per partition or host that failed
 * @param retryable for {@code unavailable}: whether asking again soon may succeed (ownership moving, a
 *     task restoring) or cannot help (an instance's answer over the size limit or unreadable, a store
 *     failure); null for other errors
 */
public record ErrorBody(int status, String error, String message, String parameter, String value, String rule,
    List<String> details, Boolean retryable) {

  /** An error other than {@code unavailable}. */
  public ErrorBody(int status, String error, String message, String parameter, String value, String rule,
      List<String> details) {
    this(status, error, message, parameter, value, rule, details, null);
  }

  /** The body of a query failure. */
  public static ErrorBody of(QueryException e) {
    if (e instanceof InvalidParameterException p) {
      return new ErrorBody(400, "bad_request", p.getMessage(), p.parameter(), p.value(), p.rule(), null);
    }
    if (e instanceof NotFoundException) {
      return new ErrorBody(404, "not_found", e.getMessage(), null, null, null, null);
    }
    UnavailableException u = (UnavailableException) e;
    return new ErrorBody(503, "unavailable", e.getMessage(), null, null, null, u.details(), u.retryable());
  }

  /** The failure another instance ({@code from}) answered, as this instance's own. */
  public static QueryException toException(PeerResponse r, String from) {
    ErrorBody b = r.contentType().startsWith("application/json")
        ? JsonCodec.read(r.body(), ErrorBody.class, from) : null;
    String message = b == null || b.message() == null ? "status " + r.status() : b.message();
    return switch (r.status()) {
      case 400 -> b != null && b.parameter() != null
          ? new InvalidParameterException(b.parameter(), b.value(), b.rule())
          : new UnavailableException(from + " rejected a request of this instance: " + message, false, List.of());
      case 404 -> new NotFoundException(message);
      // a release before the flag sent none: its 503s were all meant to be retried
      case 503 -> new UnavailableException(from + ": " + message, b == null || !Boolean.FALSE.equals(b.retryable()),
          b == null || b.details() == null ? List.of() : b.details());
      default -> new UnavailableException(from + " answered " + r.status() + ": " + message, false, List.of());
    };
  }
}
