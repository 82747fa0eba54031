package dev.leakwatch.query;

/**
 * Which page of the service listing to answer: the services whose names come after {@code after}
 * (by Java string order; null = from the first), at most {@code limit} of them. Paging bounds what
 * every instance holds and sends for the listing, whatever the size of the fleet.
 *
 * @param after the last service of the previous page ({@code next} of its answer), or null
 * @param limit most services in the page, 1 to {@link #MAX_LIMIT}
 */
public record ServicePage(String after, int limit) {

  /** Services per page when none is asked for, and the most a page may hold. */
  public static final int MAX_LIMIT = 1000;
  /**
   * The most instances a page lists over all its services ({@code limit} times the instances listed
   * per service): the defaults' product. It bounds the page and every instance's part of it (about
   * 117 bytes of JSON per listed instance, up to 3 entries of about 100 bytes in a part) well under
   * {@code http.maxPeerResponseBytes}.
   */
  public static final int MAX_INSTANCES = MAX_LIMIT * InstancePage.DEFAULT_LIMIT;

  /** The most services a page may hold when it lists {@code instances} instances of each. */
  public static int maxLimit(int instances) {
    return instances == 0 ? MAX_LIMIT : Math.min(MAX_LIMIT, MAX_INSTANCES / instances);
  }

  /** Every service (one service's entries, where the service already bounds the answer). */
  static final ServicePage ALL = new ServicePage(null, Integer.MAX_VALUE);

  /** Whether {@code service} lies after this page's start. */
  boolean admits(String service) {
    return after == null || service.compareTo(after) > 0;
  }
}
