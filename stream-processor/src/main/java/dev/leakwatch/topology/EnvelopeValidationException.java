package dev.leakwatch.topology;

/** An envelope decoded but its fields are unusable; the message names the field and the rule. */
public final class EnvelopeValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EnvelopeValidationException(String message) {
    super(message);
  }
}
