package dev.leakwatch.agent.scrape;

import java.util.concurrent.CompletionException;

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
    /**
     * A redirect the agent does not follow: more than {@link RedirectChain#MAX_REDIRECTS} (a loop
     * among them), from https to http, to another scheme, or without a usable Location.
     */
    REDIRECT("redirect"),
    /**
     * 404: the target does not serve the profile; counted as a failure (with this reason) for a
     * required profile, not for an optional one.
     */
    NOT_SERVED("not_served"),
    /** The body exceeds the size limit (by Content-Length or while reading). */
    TOO_LARGE("too_large"),
    /** The body is not a pprof profile. */
    NOT_PPROF("not_pprof"),
    /**
     * The TLS handshake with an {@code https} target failed: a certificate not trusted or not
     * for the target's name, or a client certificate the target refused.
     */
    TLS("tls"),
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
  private final boolean unanswered;

  public ScrapeFailure(Reason reason, String message) {
    this(reason, message, null, false);
  }

  public ScrapeFailure(Reason reason, String message, Throwable cause) {
    this(reason, message, cause, false);
  }

  /**
   * @param unanswered for a {@link Reason#TIMEOUT}: not even the response headers arrived (see
   *     {@link #unresponsive()})
   */
  public ScrapeFailure(Reason reason, String message, Throwable cause, boolean unanswered) {
    super(message, cause, false, false);
    this.reason = reason;
    this.unanswered = unanswered;
  }

  /**
   * {@code error} as the failure of one profile: the {@code ScrapeFailure} it is or wraps (a
   * future's {@link CompletionException}s unwrapped), else an {@link Reason#IO} failure naming
   * it, so that every error of a fetch is counted and logged by reason.
   */
  static ScrapeFailure of(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ScrapeFailure) {
      return (ScrapeFailure) t;
    }
    return new ScrapeFailure(Reason.IO, "unexpected: " + t, t);
  }

  public Reason reason() {
    return reason;
  }

  /**
   * True when the target did not answer at all: no connection, or a connection that produced no
   * response headers within the timeout (a hung process, a black-holed address). Asking the same
   * target for its next profile would only wait out another timeout.
   */
  public boolean unresponsive() {
    return reason == Reason.CONNECT || (reason == Reason.TIMEOUT && unanswered);
  }
}
