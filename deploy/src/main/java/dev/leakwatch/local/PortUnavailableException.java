package dev.leakwatch.local;

/**
 * A port the local broker (or the local query API) needs is taken or cannot be bound: a problem of
 * the environment the user can fix (stop the other process, choose another port), unlike a broker
 * that fails on its own. The message names the address and how to choose another.
 */
public class PortUnavailableException extends LocalKafkaException {
  private static final long serialVersionUID = 1L;

  public PortUnavailableException(String message) {
    super(message);
  }
}
