package dev.leakwatch.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how often a running processor re-reads its detection rules ({@code detection.reloadInterval},
 * docs/DETECTION.md §6): the file it was loaded from, the text it started with (what the running settings
 * were read from, so that a later edit is compared with it), and the interval.
 *
 * @param file the configuration file; null when the configuration was not read from a file (nothing to
 *     re-read)
 * @param text the file's text when the processor read it
 * @param interval time between two reads; zero when off
 */
public record RulesFile(Path file, String text, Duration interval) {

  /** Key under {@code detection}. */
  static final String KEY = "reloadInterval";
  /** Default interval: a ConfigMap edit reaches the kubelet's copy within about a minute anyway. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  public RulesFile {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(interval, "interval");
  }

  /** Whether the processor re-reads the file while it runs. */
  public boolean watched() {
    return file != null && !interval.isZero();
  }

  /** The same, read from {@code file}. */
  RulesFile from(Path f) {
    return new RulesFile(f, text, interval);
  }

  /** {@code detection.reloadInterval}: a positive duration, or {@code 0} / {@code off} for none. */
  static Duration interval(YamlSection detection) {
    String s = detection.string(KEY, null);
    if (s == null) {
      return DEFAULT_INTERVAL;
    }
    // unquoted YAML "off" arrives as the boolean false
    if (switch (s.trim().toLowerCase(Locale.ROOT)) { case "0", "off", "false" -> true; default -> false; }) {
      return Duration.ZERO;
    }
    Duration d = ConfigValues.duration(detection.keyPath(KEY), s);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigError(detection.keyPath(KEY), "'" + s + "' must be positive, or 0 / off to re-read nothing");
    }
    return d;
  }
}
