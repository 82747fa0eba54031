package dev.leakwatch.pprof;

/**
 * Outcome of {@link ProfileSniffer#sniff}.
 *
 * @param isProfile the body looks like a pprof profile (a full decode may still reject it)
 * @param reason why it does not look like one, or what it looks like when it does; never null
 */
public record SniffResult(boolean isProfile, String reason) {
  static SniffResult yes(String what) {
    return new SniffResult(true, what);
  }

  static SniffResult no(String why) {
    return new SniffResult(false, why);
  }
}
