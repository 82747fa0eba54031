package dev.leakwatch.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry refused a request, could not be reached, or does not know a schema.
 *
 * <p>It is a Kafka {@link SerializationException}, so producers fail the send and Kafka Streams hands
 * it to its deserialization/production exception handlers. When the registry answered, {@link
 * #httpStatus()} and {@link #errorCode()} carry what it said (Confluent error codes such as 40401
 * subject not found, 40403 schema not found, 42201 invalid schema, 409 incompatible); otherwise both
 * are {@link #NONE}. {@link #retriable()} tells an outage from a refusal.
 */
public class SchemaRegistryException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** Value of {@link #httpStatus()} and {@link #errorCode()} when there is none. */
  public static final int NONE = -1;

  private final int httpStatus;
  private final int errorCode;
  private final boolean unanswered;
  private final boolean notARegistry;

  /** An error without a registry answer (not found in the bundle, unreachable, malformed reply). */
  public SchemaRegistryException(String message) {
    this(message, NONE, NONE, null);
  }

  /** An error without a registry answer, caused by {@code cause}. */
  public SchemaRegistryException(String message, Throwable cause) {
    this(message, NONE, NONE, cause);
  }

  /**
   * An error the registry answered with.
   *
   * @param message full human-readable description (what was asked, where, what came back)
   * @param httpStatus the HTTP status, or {@link #NONE}
   * @param errorCode the {@code error_code} of the JSON error body, or {@link #NONE}
   */
  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    this(message, httpStatus, errorCode, false, false, cause);
  }

  private SchemaRegistryException(String message, int httpStatus, int errorCode,
      boolean unanswered, boolean notARegistry, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.unanswered = unanswered;
    this.notARegistry = notARegistry;
  }

  /**
   * No registry answered (every URL refused the connection or timed out, not all for a TLS
   * failure): {@link #retriable()}.
   */
  public static SchemaRegistryException unreachable(String message) {
    return new SchemaRegistryException(message, NONE, NONE, true, false, null);
  }

  /**
   * Something other than a registry's REST API answered with {@code httpStatus}: its body is not
   * JSON (an ingress' or proxy's page for a wrong URL path, a TLS-terminating proxy refusing a
   * missing client certificate, a web server's index page). Every registry API answers in JSON, so
   * this says nothing about the schema asked for: {@link #registryUnavailable()}.
   */
  public static SchemaRegistryException notARegistry(String message, int httpStatus, Throwable cause) {
    return new SchemaRegistryException(message, httpStatus, NONE, false, true, cause);
  }

  /**
   * The same error, its message prefixed with {@code context} (e.g. the record it was met on);
   * status, error code and {@link #retriable()} are kept, this error is the cause.
   */
  public SchemaRegistryException withContext(String context) {
    return new SchemaRegistryException(context + ": " + getMessage(), httpStatus, errorCode,
        unanswered, notARegistry, this);
  }

  /** @return the HTTP status the registry answered with, or {@link #NONE} */
  public int httpStatus() {
    return httpStatus;
  }

  /** @return the registry's {@code error_code}, or {@link #NONE} when absent */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Whether the registry's state, not the request, failed it, so the same request may succeed
   * later: no registry answered, or one answered 408, 429 or 5xx. A record that failed this way is
   * intact; a consumer should retry it (or stop) rather than treat it as undecodable.
   */
  public boolean retriable() {
    return unanswered || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
  }

  /**
   * Whether the registry could not be asked, as opposed to having answered about the schema: {@link
   * #retriable()}, or it refused the client's credentials (401, 403), or no URL could be reached
   * over TLS (an untrusted certificate: the cause is the {@link javax.net.ssl.SSLException}), or
   * what answered is not a registry (a body that is not JSON: {@link #notARegistry}). Such
   * an error says nothing about the record being read: asking again, after the outage or the
   * operator's fix, can succeed. Everything else — an unknown id or subject (404), an incompatible
   * or invalid schema (409, 422), a reply that is not a schema — is an answer about the schema
   * itself.
   */
  public boolean registryUnavailable() {
    if (retriable() || notARegistry || httpStatus == 401 || httpStatus == 403) {
      return true;
    }
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return true;
      }
    }
    return false;
  }
}
