package dev.leakwatch.query;

import java.util.Locale;

/**
 * Which current suspects a listing shows: {@code open} (OPEN emitted, not yet resolved), {@code
 * candidate} (tracked as growing, not yet open) or {@code all} (both). Resolved suspects are in the
 * history.
 */
public enum SuspectFilter {
  OPEN,
  CANDIDATE,
  ALL;

  /** Whether a suspect whose OPEN was (or was not) emitted passes. */
  public boolean accepts(boolean open) {
    return this == ALL || (this == OPEN) == open;
  }

  static SuspectFilter parse(String raw) {
    for (SuspectFilter f : values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(raw.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    throw new InvalidParameterException("status", raw, "must be open, candidate or all");
  }
}
