package dev.leakwatch.agent.push;

import dev.leakwatch.agent.config.ByteSizes;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.naming.Labels;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query parameters of {@code POST /ingest}:
 *
 * <ul>
 *   <li>{@code service}, {@code instance} (required): who the profile belongs to
 *   <li>{@code type} (required): {@code heap}, {@code goroutine}, {@code allocs} or {@code
 *       goroutineleak}
 *   <li>{@code time} (optional): capture time, RFC 3339 ({@code 2025-01-31T12:00:00Z}) or Unix
 *       milliseconds; default the time of receipt; at most {@link #MAX_CLOCK_SKEW} in the future and
 *       not before {@link #EARLIEST_CAPTURE}
 *   <li>{@code memoryLimit} (optional): the process's memory limit, bytes or e.g. {@code 512MiB}
 *   <li>{@code label.<name>=<value>} (optional, repeatable): labels for the envelope, by {@link
 *       Labels}' rule (Prometheus-style names, at most 64 labels, values of at most 1024
 *       characters)
 * </ul>
 *
 * Unknown or repeated parameters are refused, so a typo cannot silently drop information.
 *
 * @param memoryLimitBytes null when not given
 */
public record PushRequest(
    TargetId id,
    ProfileKind kind,
    Instant captureTime,
    Map<String, String> labels,
    Long memoryLimitBytes) {

  /** How far in the future a capture time may lie (clock skew between pusher and agent). */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  /**
   * The earliest capture time accepted. No Go process was profiled before it, and every Unix
   * seconds value up to the year 2286 read as milliseconds falls before it (1738324800 would be
   * 1970-01-21): such a capture, accepted, would stand decades before its instance's other
   * captures, and a pusher sending seconds throughout would compress hours into seconds.
   */
  public static final Instant EARLIEST_CAPTURE = Instant.parse("2000-01-01T00:00:00Z");

  static final String LABEL_PREFIX = "label.";
  private static final Set<String> NAMES = Set.of("service", "instance", "type", "time", "memoryLimit");

  /**
   * @param query parameter name to values, decoded strictly (see {@link
   *     dev.leakwatch.web.StrictQuery}): undecodable escapes are refused before this
   * @param now the time of receipt
   * @throws PushRejection 400 naming the parameter and the problem
   */
  public static PushRequest parse(Map<String, List<String>> query, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      String name = e.getKey();
      if (e.getValue().size() > 1) {
        throw PushRejection.badParameter("parameter '" + name + "' given more than once");
      }
      if (name.startsWith(LABEL_PREFIX) && name.length() > LABEL_PREFIX.length()) {
        labels.put(name.substring(LABEL_PREFIX.length()), e.getValue().get(0));
      } else if (!NAMES.contains(name)) {
        throw PushRejection.badParameter(
            "unknown parameter '" + name + "' (allowed: service, instance, type, time,"
                + " memoryLimit, label.<name>)");
      }
    }
    // before the body is read: a refused label publishes nothing and costs no upload
    Labels.problem(labels)
        .ifPresent(
            p -> {
              throw PushRejection.badParameter(p);
            });
    String service = single(query, "service");
    String instance = single(query, "instance");
    TargetId.problem(service, instance)
        .ifPresent(
            p -> {
              throw PushRejection.badParameter(p);
            });
    String type = single(query, "type");
    if (type == null) {
      throw PushRejection.badParameter("type is required (one of " + ProfileKind.names() + ")");
    }
    ProfileKind kind =
        ProfileKind.byEndpoint(type)
            .orElseThrow(
                () ->
                    PushRejection.badParameter(
                        "type '" + type + "' is not one of " + ProfileKind.names()));
    return new PushRequest(
        new TargetId(service, instance),
        kind,
        captureTime(single(query, "time"), now),
        labels,
        memoryLimit(single(query, "memoryLimit")));
  }

  private static String single(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static Instant captureTime(String text, Instant now) {
    if (text == null || text.isEmpty()) {
      return now;
    }
    Instant t;
    try {
      t =
          text.chars().allMatch(Character::isDigit)
              ? Instant.ofEpochMilli(Long.parseLong(text))
              : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException | NumberFormatException e) {
      throw PushRejection.badParameter(
          "time '" + text + "' is neither RFC 3339 (2025-01-31T12:00:00Z) nor Unix milliseconds");
    }
    if (t.isBefore(EARLIEST_CAPTURE)) {
      boolean millis = text.chars().allMatch(Character::isDigit);
      throw PushRejection.badParameter(
          "time " + text + (millis ? " is " + t + " in Unix milliseconds," : " is") + " before "
              + EARLIEST_CAPTURE + (millis ? ": Unix seconds? send " + text + "000" : ""));
    }
    if (t.isAfter(now.plus(MAX_CLOCK_SKEW))) {
      throw PushRejection.badParameter(
          "time " + t + " is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future");
    }
    return t;
  }

  private static Long memoryLimit(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      long v = ByteSizes.parse(text, "memoryLimit");
      if (v <= 0) {
        throw PushRejection.badParameter("memoryLimit must be positive");
      }
      return v;
    } catch (ConfigException e) {
      throw PushRejection.badParameter(e.getMessage());
    }
  }
}
