package dev.leakwatch.schemas.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The keys of a configuration section that is handed unchanged to Kafka's clients or to our serdes,
 * checked against the names those define. Kafka ignores a name it does not know (and so do the
 * serdes), so a misspelt key would leave its setting at the default without a word: the operator
 * believes TLS, SASL or a tuning value is set when it is not.
 *
 * <p>A key is known when the section's names hold it or {@code dynamic} accepts it (names Kafka
 * builds from a prefix, see {@link #isDynamicClientName}). An unknown key is <em>refused</em> when
 * the section is strict (only our code reads it, so an unknown key there is always a mistake) or when
 * it lies within {@link #MAX_TYPO_EDITS} edits of a known name (a typo); any other unknown key may be
 * a custom plugin's own setting (an interceptor's, a SASL callback handler's, a metrics reporter's),
 * which Kafka hands to the plugin, so it is passed on with a <em>warning</em>. Both name the key's
 * path in the file and the closest known name. Keys the file lists as custom ({@value #CUSTOM_KEYS})
 * are passed on without either.
 */
public final class PassThroughKeys {

  /**
   * Most edits (insert, delete, replace a character, or swap two adjacent ones) between an unknown
   * key and a known name for the key to count as a typo of that name.
   */
  public static final int MAX_TYPO_EDITS = 2;

  /** The top-level list of key paths the file declares custom (a plugin's own settings). */
  public static final String CUSTOM_KEYS = "customKeys";

  /**
   * An unknown key.
   *
   * @param keyPath its path in the file, e.g. {@code streams.comit.interval.ms}
   * @param closest how to write the closest known name, e.g. {@code commitInterval}
   * @param refused whether it must stop the configuration (else a warning)
   * @param readers who defines the section's names, as the message says it
   */
  public record Finding(String keyPath, String closest, boolean refused, String readers) {

    /** What is wrong, for a message that starts with {@link #keyPath()}: one line. */
    public String problem() {
      return refused
          ? "not a setting " + readers + "; did you mean '" + closest + "'? (a plugin's own setting: list '"
              + keyPath + "' under " + CUSTOM_KEYS + ")"
          : "not a setting " + readers + " (closest: '" + closest + "'); passed on for a plugin to read"
              + " (list it under " + CUSTOM_KEYS + " if so, and this warning goes)";
    }

    /** {@link #keyPath()}{@code : }{@link #problem()}. */
    public String message() {
      return keyPath + ": " + problem();
    }
  }

  private final String section;
  private final TreeMap<String, String> known;
  private final Predicate<String> dynamic;
  private final boolean strict;
  private final String readers;

  /**
   * @param section the section's path in the file, e.g. {@code streams} or {@code kafka.client}
   * @param known every name the section's readers define, each with how to write it in the file
   *     (its own path, or the key to use instead when another key of the file sets it)
   * @param dynamic names known though not listed (built from a prefix)
   * @param strict whether every unknown key is refused (only our code reads the section)
   * @param readers who defines the names, as the messages say it: "Kafka Streams or its clients define"
   */
  public PassThroughKeys(String section, Map<String, String> known, Predicate<String> dynamic, boolean strict,
      String readers) {
    this.section = Objects.requireNonNull(section, "section");
    this.known = new TreeMap<>(known);
    this.dynamic = Objects.requireNonNull(dynamic, "dynamic");
    this.strict = strict;
    this.readers = Objects.requireNonNull(readers, "readers");
  }

  /** The names {@code names} take under {@code prefix} in {@code section}, each written as its path. */
  public static Map<String, String> named(String section, String prefix, Collection<String> names) {
    Map<String, String> out = new TreeMap<>();
    names.forEach(n -> out.put(prefix + n, section + "." + prefix + n));
    return out;
  }

  /**
   * The unknown keys among {@code keys} (as written in the section), in their order.
   *
   * @param custom key paths the file declares custom: never a finding
   */
  public List<Finding> check(Collection<String> keys, Set<String> custom) {
    List<Finding> out = new ArrayList<>();
    for (String key : keys) {
      String path = section + "." + key;
      if (known.containsKey(key) || dynamic.test(key) || custom.contains(path)) {
        continue;
      }
      String best = null;
      int bestEdits = Integer.MAX_VALUE;
      for (String name : known.keySet()) {
        int edits = edits(key, name, bestEdits);
        if (edits < bestEdits) {
          best = name;
          bestEdits = edits;
        }
      }
      out.add(new Finding(path, best == null ? "?" : known.get(best), strict || bestEdits <= MAX_TYPO_EDITS,
          readers));
    }
    return out;
  }

  /** The first entry of {@code custom} that is not a key path under one of {@code sections}, or null. */
  public static String outside(List<String> custom, String... sections) {
    for (String c : custom) {
      boolean under = false;
      for (String s : sections) {
        under |= c.startsWith(s + ".") && c.length() > s.length() + 1;
      }
      if (!under) {
        return c;
      }
    }
    return null;
  }

  /**
   * Whether a Kafka client accepts {@code name} though its definition does not list it: a config
   * provider's class and parameters ({@code config.providers.<name>.class}, {@code
   * config.providers.<name>.param.<param>}) and metrics context labels ({@code metrics.context.<label>}).
   * Listener- and mechanism-prefixed SASL keys ({@code listener.name.*}) are the broker's, not a client's.
   */
  public static boolean isDynamicClientName(String name) {
    if (name.startsWith(METRICS_CONTEXT) && name.length() > METRICS_CONTEXT.length()) {
      return true;
    }
    if (!name.startsWith(CONFIG_PROVIDERS)) {
      return false;
    }
    String rest = name.substring(CONFIG_PROVIDERS.length());
    int dot = rest.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    String setting = rest.substring(dot + 1);
    return setting.equals("class") || setting.startsWith("param.") && setting.length() > "param.".length();
  }

  private static final String CONFIG_PROVIDERS = "config.providers.";
  private static final String METRICS_CONTEXT = "metrics.context.";

  /**
   * Optimal string alignment distance between {@code a} and {@code b}: inserts, deletes, replacements
   * and swaps of adjacent characters ({@code mechansim}, one edit from {@code mechanism}); {@code
   * bound} when the lengths alone differ by that much (the caller only wants a smaller one).
   */
  static int edits(String a, String b, int bound) {
    if (Math.abs(a.length() - b.length()) >= bound) {
      return bound;
    }
    int[] before = new int[b.length() + 1];
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d = Math.min(d, before[j - 2] + 1);
        }
        current[j] = d;
      }
      int[] t = before;
      before = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
