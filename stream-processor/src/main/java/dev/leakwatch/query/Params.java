package dev.leakwatch.query;

import dev.leakwatch.detect.ProfileKind;
import dev.leakwatch.naming.Names;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates raw request parameters (strings as received, null when absent). Every
 * failure is an {@link InvalidParameterException} naming the parameter, the value and the rule.
 * Stateless.
 */
public final class Params {

  /** Longest service or instance name, in characters: the shared rule's ({@link Names}). */
  public static final int MAX_NAME_CHARS = Names.MAX_LENGTH;
  /** Latest accepted time, ms since the epoch (year 9999). */
  static final long MAX_TIME_MS = 253_402_300_799_999L;

  private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d{1,9})(ms|s|m|h|d))?");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,16}");
  private static final Pattern HEX16 = Pattern.compile("[0-9a-fA-F]{16}");
  private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");

  private Params() {}

  /**
   * A service name, by the rule every part of Leakwatch applies ({@link Names}): what the
   * agent and the processor accept can always be asked for. The error's rule says what is wrong
   * with the value, then the whole rule.
   */
  public static String service(String raw) {
    return name(Names.Kind.SERVICE, raw);
  }

  /** A service name given in parameter {@code param} (such as {@code after}), refused under that name. */
  public static String service(String param, String raw) {
    return name(Names.Kind.SERVICE, param, raw);
  }

  /** An instance name given in parameter {@code param} (such as {@code after}), refused under that name. */
  public static String instance(String param, String raw) {
    return name(Names.Kind.INSTANCE, param, raw);
  }

  /** An instance name: like a service name, except that {@code /} is allowed. */
  public static String instance(String raw) {
    return name(Names.Kind.INSTANCE, raw);
  }

  private static String name(Names.Kind kind, String raw) {
    return name(kind, kind.label(), raw);
  }

  private static String name(Names.Kind kind, String param, String raw) {
    Names.problem(kind, raw).ifPresent(problem -> {
      throw new InvalidParameterException(param, raw, problem + "; " + Names.rule(kind));
    });
    return raw;
  }

  /**
   * A point in time, ms since the epoch: an ISO-8601 instant ({@code 2026-01-31T12:00:00Z}),
   * milliseconds since the epoch, {@code now}, or {@code now-<n><unit>} with unit ms, s, m, h or d.
   *
   * @return the time, or null when {@code raw} is null (absent: the caller's default applies)
   */
  public static Long time(String param, String raw, long nowMs) {
    if (raw == null) {
      return null;
    }
    String rule = "must be an ISO-8601 instant (2026-01-31T12:00:00Z), ms since the epoch, "
        + "'now' or 'now-<n>(ms|s|m|h|d)', between 1970 and 9999";
    long ms;
    Matcher rel = RELATIVE.matcher(raw);
    if (rel.matches()) {
      ms = rel.group(1) == null ? nowMs : nowMs - duration(Long.parseLong(rel.group(1)), rel.group(2)).toMillis();
    } else if (DIGITS.matcher(raw).matches()) {
      ms = Long.parseLong(raw);
    } else {
      try {
        ms = Instant.parse(raw).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new InvalidParameterException(param, raw, rule);
      }
    }
    if (ms < 0 || ms > MAX_TIME_MS) {
      throw new InvalidParameterException(param, raw, rule);
    }
    return ms;
  }

  private static Duration duration(long n, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** An integer in {@code [min, max]}; {@code fallback} when absent. */
  public static int intIn(String param, String raw, int fallback, int min, int max) {
    if (raw == null) {
      return fallback;
    }
    String rule = "must be an integer in [" + min + ", " + max + "]";
    if (!raw.matches("-?\\d{1,10}")) {
      throw new InvalidParameterException(param, raw, rule);
    }
    long v = Long.parseLong(raw);
    if (v < min || v > max) {
      throw new InvalidParameterException(param, raw, rule);
    }
    return (int) v;
  }

  /** A metric name (see {@link Metric}); {@code fallback} when absent. */
  public static Metric metric(String raw, Metric fallback) {
    return raw == null ? fallback : Metric.parse("metric", raw);
  }

  /** A profile section: {@code heap} or {@code goroutine}; {@code fallback} when absent. */
  public static Section section(String param, String raw, Section fallback) {
    return raw == null ? fallback : Section.parse(param, raw);
  }

  /** The profile kind of a per-instance series: heap, goroutine or goroutineleak. */
  public static ProfileKind seriesKind(String raw, ProfileKind fallback) {
    if (raw == null) {
      return fallback;
    }
    String n = raw.toLowerCase(Locale.ROOT);
    for (ProfileKind k : ProfileKind.values()) {
      if (k != ProfileKind.ALLOCS && k.endpointName().equals(n)) {
        return k;
      }
    }
    throw new InvalidParameterException("kind", raw, "must be one of heap, goroutine, goroutineleak");
  }

  /** A 64-bit id as 16 hex digits (stack and site ids). */
  public static long hex64(String param, String raw) {
    if (raw == null || !HEX16.matcher(raw).matches()) {
      throw new InvalidParameterException(param, raw, "must be 16 hex digits");
    }
    return HexFormat.fromHexDigitsToLong(raw);
  }

  /**
   * Stack ids as {@code top} prints them: 16 hex digits each (either case), comma-separated, 1 to
   * {@link StackRequests#MAX_STACK_IDS} of them, none twice. The rule of a refusal names the id at fault.
   */
  public static Set<Long> stackIds(String param, String raw) {
    String rule = "must be 1 to " + StackRequests.MAX_STACK_IDS + " comma-separated stack ids of 16 hex digits, "
        + "each at most once";
    if (raw == null || raw.isEmpty()) {
      throw new InvalidParameterException(param, raw, rule);
    }
    String[] ids = raw.split(",", -1);
    if (ids.length > StackRequests.MAX_STACK_IDS) {
      throw new InvalidParameterException(param, raw, rule + "; " + ids.length + " given");
    }
    Set<Long> out = new LinkedHashSet<>();
    for (int i = 0; i < ids.length; i++) {
      String shown = ids[i].length() <= 20 ? ids[i] : ids[i].substring(0, 20) + "...";
      if (!HEX16.matcher(ids[i]).matches()) {
        throw new InvalidParameterException(param, raw, rule + "; id " + (i + 1) + " ('" + shown
            + "') is not 16 hex digits");
      }
      if (!out.add(HexFormat.fromHexDigitsToLong(ids[i]))) {
        throw new InvalidParameterException(param, raw, rule + "; id " + (i + 1) + " ('" + shown
            + "') was given before");
      }
    }
    return out;
  }

  /** A suspect id: 32 hex digits, returned in lower case. */
  public static String suspectId(String raw) {
    if (raw == null || !HEX32.matcher(raw).matches()) {
      throw new InvalidParameterException("id", raw, "must be a suspect id of 32 hex digits");
    }
    return raw.toLowerCase(Locale.ROOT);
  }

  /**
   * The page of the fleet-wide suspect listing: {@code after} is the {@code next} of the previous
   * page ({@code SERVICE/SUSPECT_ID}), absent for the first; {@code limit} 1 to
   * {@link SuspectPage#MAX_LIMIT}, {@link SuspectPage#DEFAULT_LIMIT} when absent.
   */
  public static SuspectPage suspectPage(String after, String limit) {
    int n = intIn("limit", limit, SuspectPage.DEFAULT_LIMIT, 1, SuspectPage.MAX_LIMIT);
    if (after == null) {
      return SuspectPage.first(n);
    }
    String rule = "must be SERVICE/SUSPECT_ID, the 'next' of the previous page";
    SuspectPage page = SuspectPage.after(after, n);
    if (page == null || !HEX32.matcher(page.afterId()).matches()) {
      throw new InvalidParameterException("after", after, rule);
    }
    Names.problem(Names.Kind.SERVICE, page.afterService()).ifPresent(problem -> {
      throw new InvalidParameterException("after", after, rule + "; its service " + problem);
    });
    return new SuspectPage(page.afterService(), page.afterId().toLowerCase(Locale.ROOT), n);
  }

  /** Which suspects to list; {@code fallback} when absent. */
  public static SuspectFilter suspectFilter(String raw, SuspectFilter fallback) {
    return raw == null ? fallback : SuspectFilter.parse(raw);
  }

  /** Partition numbers, comma-separated, each in [0, 100000), at most 10000 of them. */
  public static Set<Integer> partitions(String raw) {
    String rule = "must be comma-separated partition numbers in [0, 100000)";
    if (raw == null || raw.isEmpty() || raw.length() > 60_000) {
      throw new InvalidParameterException("partitions", raw, rule);
    }
    Set<Integer> out = new TreeSet<>();
    for (String p : raw.split(",", -1)) {
      if (!p.matches("\\d{1,5}")) {
        throw new InvalidParameterException("partitions", raw, rule);
      }
      out.add(Integer.parseInt(p));
    }
    return out;
  }
}
