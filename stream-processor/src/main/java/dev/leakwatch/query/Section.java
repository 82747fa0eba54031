package dev.leakwatch.query;

import java.util.Locale;

/** Which half of a service window a profile is built from: heap stacks or goroutine stacks. */
public enum Section {
  HEAP("heap"),
  GOROUTINE("goroutine");

  private final String label;

  Section(String label) {
    this.label = label;
  }

  /** Lower-case name as used in the API. */
  public String label() {
    return label;
  }

  static Section parse(String param, String raw) {
    for (Section s : values()) {
      if (s.label.equals(raw.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new InvalidParameterException(param, raw, "must be heap or goroutine");
  }
}
