package dev.leakwatch.query;

/** What was asked for does not exist (an unknown service, suspect or site), said precisely. */
public final class NotFoundException extends QueryException {

  public NotFoundException(String message) {
    super(message);
  }
}
