package dev.leakwatch.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/**
 * The API's JSON: answers are records serialized in declaration order, so two instances computing
 * the same answer write the same bytes. Also reads the answers of other instances back (partial
 * results of a fan-out, nested lookups). Thread-safe.
 */
public final class JsonCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JsonCodec() {}

  /** UTF-8 JSON of a value. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads what another instance answered.
   *
   * @throws UnavailableException (not retryable) when the body is not the expected JSON, which
   *     means instances of different releases disagree
   */
  public static <T> T read(byte[] body, Class<T> type, String from) {
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw new UnavailableException("instance " + from + " answered a " + type.getSimpleName()
          + " this instance cannot read: " + e.getMessage(), false, java.util.List.of());
    }
  }
}
