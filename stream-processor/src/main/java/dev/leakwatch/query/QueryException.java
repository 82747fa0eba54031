package dev.leakwatch.query;

/**
 * A query that cannot be answered, with a message fit for the caller. Each subclass stands for one
 * kind of failure (and one HTTP status in the API): {@link InvalidParameterException},
 * {@link NotFoundException}, {@link UnavailableException}.
 */
public abstract class QueryException extends RuntimeException {

  protected QueryException(String message) {
    super(message);
  }
}
