package dev.leakwatch.query;

import java.util.Comparator;

/**
 * Which page of the fleet-wide suspect listing to answer: the suspects that come after the cursor
 * {@code (afterService, afterId)} in the listing's order (service name, then suspect id, both by
 * Java string order), at most {@code limit} of them. Paging bounds what every instance builds and
 * sends for the listing (each suspect carries its stack and evidence), whatever the fleet holds.
 *
 * @param afterService service of the previous page's last suspect, or null to start from the first
 * @param afterId that suspect's id (32 lower-case hex digits); null exactly when {@code afterService} is
 * @param limit most suspects in the page, 1 to {@link #MAX_LIMIT}
 */
public record SuspectPage(String afterService, String afterId, int limit) {

  /** Suspects per page when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;
  /** The most a page may hold. */
  public static final int MAX_LIMIT = 1000;

  /** The listing's order: by service, then by suspect id. */
  public static final Comparator<SuspectAnswers.Suspect> ORDER =
      Comparator.comparing(SuspectAnswers.Suspect::service).thenComparing(SuspectAnswers.Suspect::suspectId);

  public SuspectPage {
    if ((afterService == null) != (afterId == null)) {
      throw new IllegalArgumentException("afterService and afterId are given together or not at all");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit + " < 1");
    }
  }

  /** The first page of {@code limit} suspects. */
  public static SuspectPage first(int limit) {
    return new SuspectPage(null, null, limit);
  }

  /**
   * The page after {@code cursor}, as {@link #cursor} wrote it: {@code service/suspectId} (a service
   * name holds no {@code /}).
   *
   * @return the page, or null when {@code cursor} has no {@code /}
   */
  static SuspectPage after(String cursor, int limit) {
    int slash = cursor.indexOf('/');
    return slash < 0 ? null : new SuspectPage(cursor.substring(0, slash), cursor.substring(slash + 1), limit);
  }

  /** The cursor of the page after {@code last}: its {@code service/suspectId}. */
  public static String cursor(SuspectAnswers.Suspect last) {
    return last.service() + "/" + last.suspectId();
  }

  /** Whether a suspect lies after this page's start. */
  boolean admits(String service, String id) {
    if (afterService == null) {
      return true;
    }
    int c = service.compareTo(afterService);
    return c > 0 || (c == 0 && id.compareTo(afterId) > 0);
  }

  /** Whether any suspect of {@code service} may lie after this page's start. */
  boolean admitsService(String service) {
    return afterService == null || service.compareTo(afterService) >= 0;
  }
}
