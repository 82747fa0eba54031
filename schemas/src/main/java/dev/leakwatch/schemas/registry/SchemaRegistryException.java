package dev.leakwatch.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry refused a request, could not be reached, or does not know a schema.
 *
 * <p>It is a Kafka {@link SerializationException}, so producers fail the send and Kafka Streams hands
 * it to its deserialization/production exception handlers. When the registry answered, {@link
 * #httpStatus()} and {@link #errorCode()} carry what it said (Confluent error codes such as 40401
 * subject not found, 40403 schema not found, 42201 invalid schema, 409 incompatible); otherwise both
 * are {@link #NONE}.
 */
public class SchemaRegistryException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** Value of {@link #httpStatus()} and {@link #errorCode()} when there is none. */
  public static final int NONE = -1;

  private final int httpStatus;
  private final int errorCode;
  private final boolean unreachable;

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
    this(message, httpStatus, errorCode, cause, false);
  }

  private SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause,
      boolean unreachable) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.unreachable = unreachable;
  }

  /** No registry could be reached (connection refused, timed out, reset) for the request described. */
  public static SchemaRegistryException unreachable(String message) {
    return new SchemaRegistryException(message, NONE, NONE, null, true);
  }

  /**
   * Whether the registry could not be asked, as opposed to having answered about the schema: it was
   * unreachable, or answered 5xx, 408 (timeout), 429 (rate limit), or 401/403 (the client's
   * credentials: the operator's to fix). Such an error says nothing about the record being
   * (de)serialized: asking again later, or after a fix, can succeed. Everything else — an unknown
   * id or subject (404), an incompatible or invalid schema (409, 422), a reply that is not a schema
   * — is an answer about the schema itself.
   */
  public boolean registryUnavailable() {
    return unreachable || httpStatus >= 500 || httpStatus == 401 || httpStatus == 403 || httpStatus == 408
        || httpStatus == 429;
  }

  /** @return the HTTP status the registry answered with, or {@link #NONE} */
  public int httpStatus() {
    return httpStatus;
  }

  /** @return the registry's {@code error_code}, or {@link #NONE} when absent */
  public int errorCode() {
    return errorCode;
  }
}
