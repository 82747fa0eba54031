package dev.leakwatch.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a raw query string ({@code a=1&b=x%2Fy}) strictly: a {@code %} must be followed by two
 * hex digits, and the decoded bytes must be valid UTF-8; {@code +} stands for a space. HTTP
 * servers tend to drop or patch what they cannot decode (a parameter {@code service=%zz} simply
 * vanishes, {@code %C0%AF} becomes two U+FFFD); here it is an error naming the parameter, the
 * escape and where it is. Stateless.
 */
public final class StrictQuery {

  private StrictQuery() {}

  /**
   * @param raw the query string as received (without {@code ?}), may be null or empty
   * @return parameter name to values, in order of first appearance; values in order given
   * @throws MalformedQueryException naming the parameter and the undecodable part
   */
  public static Map<String, List<String>> parse(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= raw.length()) {
      int end = raw.indexOf('&', start);
      if (end < 0) {
        end = raw.length();
      }
      if (end > start) {
        int eq = raw.indexOf('=', start);
        boolean hasValue = eq >= 0 && eq < end;
        String name = decode(raw, start, hasValue ? eq : end, null);
        String value = hasValue ? decode(raw, eq + 1, end, name) : "";
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      }
      start = end + 1;
    }
    return out;
  }

  /** Decodes {@code raw[from, to)}; {@code parameter} is null while decoding a name. */
  private static String decode(String raw, int from, int to, String parameter) {
    ByteBuffer bytes = ByteBuffer.allocate((to - from) * 3);
    for (int i = from; i < to; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < to ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = i + 2 < to ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          String escape = raw.substring(i, Math.min(to, i + 3));
          throw new MalformedQueryException(parameter, raw.substring(from, to), "bad percent-escape '" + escape + "' at index "
              + (i - from) + " (expected % and two hex digits)");
        }
        bytes.put((byte) (hi << 4 | lo));
        i += 2;
      } else if (c == '+') {
        bytes.put((byte) ' ');
      } else {
        bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    bytes.flip();
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedQueryException(parameter, raw.substring(from, to), "percent-escapes in '" + raw.substring(from, to) + "' do not decode to valid UTF-8");
    }
  }
}
