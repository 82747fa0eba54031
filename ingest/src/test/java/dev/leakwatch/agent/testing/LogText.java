package dev.leakwatch.agent.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading a captured log in tests. */
public final class LogText {
  private LogText() {}

  /** How many times {@code what} occurs in {@code text}, as written (not a pattern). */
  public static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
