package dev.leakwatch.query;

/**
 * What another instance answered.
 *
 * @param status HTTP status code
 * @param contentType its {@code Content-Type}, or "" when none
 * @param body the response body (bounded by the client)
 */
public record PeerResponse(int status, String contentType, byte[] body) {

  public boolean ok() {
    return status == 200;
  }
}
