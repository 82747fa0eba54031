package dev.leakwatch.query;

/**
 * The instance names a series part answers: those after {@code after} up to and including {@code
 * through} (Java string order; null = unbounded on that side). The asking instance sends the bounds
 * of its page of live instances, so a part holds no instance beyond that page's names, however many
 * instances the service has.
 */
public record InstanceSpan(String after, String through) {

  /** Every instance: what a part answers an instance of the release before series pages. */
  public static final InstanceSpan ALL = new InstanceSpan(null, null);

  /** Whether {@code instance} lies within the span. */
  boolean holds(String instance) {
    return (after == null || instance.compareTo(after) > 0) && (through == null || instance.compareTo(through) <= 0);
  }
}
