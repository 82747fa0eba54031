package dev.leakwatch.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON response bodies (the agent's own mapper, independent of Javalin's JSON plugin). */
public final class JsonResponses {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResponses() {}

  /** Sets {@code status} and a JSON body serialized from {@code body}. */
  public static void send(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response body not serializable", e);
    }
  }

  /** The error body: {@code {"status":..., "error":"<code>", "message":"..."}}. */
  public static Map<String, Object> error(int status, String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("error", code);
    m.put("message", message);
    return m;
  }
}
