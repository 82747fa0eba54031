package dev.leakwatch.agent.push;

/**
 * A push request refused with an HTTP status, a stable error code and a precise message; rendered
 * as a JSON body {@code {"status":400,"error":"not_pprof","message":"..."}}.
 */
public final class PushRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public PushRejection(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static PushRejection badParameter(String message) {
    return new PushRejection(400, "bad_parameter", message);
  }
}
