package dev.leakwatch.local;

/** The local broker could not be formatted or started; the message says why and where its log is. */
public class LocalKafkaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LocalKafkaException(String message) {
    super(message);
  }

  public LocalKafkaException(String message, Throwable cause) {
    super(message, cause);
  }
}
