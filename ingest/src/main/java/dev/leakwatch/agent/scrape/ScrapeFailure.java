package dev.leakwatch.agent.scrape;

/**
 * Why one profile could not be scraped. The {@link Reason} is a stable, low-cardinality code used
 * as a metric tag; the message carries the specifics (status, sizes, the sniffer's reason).
 */
public final class ScrapeFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Failure classes. */
  public enum Reason {
    /** TCP connection refused, unreachable host, or connect timeout. */
    CONNECT("connect"),
    /** No complete response within the target's timeout. */
    TIMEOUT("timeout"),
    /** A status other than 200. */
    HTTP_STATUS("http_status"),
    /** 404 for an optional profile: the target does not serve it (not counted as a failure). */
    NOT_SERVED("not_served"),
    /** The body exceeds the size limit (by Content-Length or while reading). */
    TOO_LARGE("too_large"),
    /** The body is not a pprof profile. */
    NOT_PPROF("not_pprof"),
    /** Any other I/O error while talking to the target. */
    IO("io");

    private final String tag;

    Reason(String tag) {
      this.tag = tag;
    }

    /** The metric tag value. */
    public String tag() {
      return tag;
    }
  }

  private final Reason reason;

  public ScrapeFailure(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public ScrapeFailure(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
