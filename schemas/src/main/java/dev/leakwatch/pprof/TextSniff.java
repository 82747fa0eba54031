package dev.leakwatch.pprof;

/** Names the text formats that get mistaken for profiles: HTML, JSON, pprof's debug=1 text. */
final class TextSniff {
  private static final int LOOK = 64;

  private TextSniff() {}

  /** A description if {@code buf[0, n)} starts like text, null if it looks binary. */
  static String describe(byte[] buf, int n) {
    int i = 0;
    while (i < n && isSpace(buf[i])) {
      i++;
    }
    if (i == n) {
      return "body is only whitespace";
    }
    int end = Math.min(n, i + LOOK);
    for (int j = i; j < end; j++) {
      if (!isSpace(buf[j]) && (buf[j] < 0x20 || buf[j] > 0x7e)) {
        return null;
      }
    }
    byte c = buf[i];
    if (c == '<') {
      return "looks like HTML or XML, not a profile";
    }
    if (c == '{' || c == '[') {
      return "looks like JSON, not a profile";
    }
    return "looks like text (e.g. a ?debug=1 profile or an error message), not a protobuf profile";
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
