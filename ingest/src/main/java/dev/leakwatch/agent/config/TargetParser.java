package dev.leakwatch.agent.config;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.naming.Labels;
import dev.leakwatch.schemas.settings.UrlCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns target entries (the static {@code targets:} list or a discovery file) into resolved
 * {@link Target}s. An entry is:
 *
 * <pre>
 * - service: orders                      # required
 *   url: http://10.0.0.7:6060            # or urls: [...] for several instances of one service
 *   instance: orders-7                   # optional, default host:port of the url (single url only)
 *   profiles: [heap, goroutine]          # optional, default scrape.profiles
 *   interval: 15s                        # optional, default scrape.interval
 *   timeout: 5s                          # optional, default scrape.timeout or the interval if shorter;
 *                                        # an explicit one must not exceed the interval
 *   memoryLimit: 512MiB                  # optional
 *   labels: {region: eu-west-1}          # optional; names [a-zA-Z_][a-zA-Z0-9_]* (see Labels)
 * </pre>
 *
 * A url without a path means the standard {@code /debug/pprof} handlers of that address.
 */
public final class TargetParser {
  private static final int MAX_PORT = 65535;
  private static final Set<String> KEYS =
      Set.of(
          "service", "instance", "url", "urls", "profiles", "interval", "timeout", "memoryLimit",
          "labels");

  private final ScrapeSettings defaults;

  public TargetParser(ScrapeSettings defaults) {
    this.defaults = defaults;
  }

  /**
   * Parses every entry of {@code list}.
   *
   * @throws ConfigException naming the entry on any bad value, or on two targets with one identity
   */
  public List<Target> parseList(ConfigNode list) {
    List<Target> out = new ArrayList<>();
    for (ConfigNode entry : list.elements()) {
      out.addAll(parseEntry(entry));
    }
    requireUnique(out, list.path());
    return out;
  }

  /** Fails if two targets share service and instance; {@code where} prefixes the message. */
  public static void requireUnique(List<Target> targets, String where) {
    Map<TargetId, Target> seen = new HashMap<>();
    for (Target t : targets) {
      Target prev = seen.putIfAbsent(t.id(), t);
      if (prev != null) {
        throw new ConfigException(
            where + ": duplicate target " + t.id() + " (" + prev.pprofBase() + " and "
                + t.pprofBase() + "); give each an explicit instance");
      }
    }
  }

  /**
   * Parses one entry (Kubernetes discovery builds one per pod).
   *
   * @throws ConfigException naming the entry's path on any bad value
   */
  public List<Target> parseEntry(ConfigNode e) {
    e.rejectUnknownKeys(KEYS);
    String service = e.requiredString("service");
    List<String> urls = new ArrayList<>();
    String url = e.string("url", null);
    if (url != null) {
      urls.add(url);
    }
    urls.addAll(e.strings("urls", List.of()));
    if (urls.isEmpty()) {
      throw new ConfigException(e.path() + ": needs url (or urls)");
    }
    String instance = e.string("instance", null);
    if (instance != null && urls.size() > 1) {
      throw new ConfigException(
          e.path() + ".instance: only allowed with a single url (each of urls is named host:port)");
    }
    Duration interval = e.duration("interval", defaults.interval(), Duration.ofMillis(100));
    // Unset: the scrape default, shortened to the interval; explicit: must fit the interval.
    Duration timeout = e.child("timeout").isSet()
        ? e.duration("timeout", defaults.timeout(), Duration.ofMillis(10))
        : shorter(defaults.timeout(), interval);
    if (timeout.compareTo(interval) > 0) {
      throw new ConfigException(
          e.path() + ".timeout: " + Durations.format(timeout) + " exceeds the interval "
              + Durations.format(interval));
    }
    List<ProfileKind> profiles = profiles(e, "profiles", defaults.profiles());
    long limit = e.bytes("memoryLimit", -1, 1);
    Long memoryLimit = limit < 0 ? null : limit;
    Map<String, String> labels = e.stringMap("labels");
    Labels.problem(labels)
        .ifPresent(
            problem -> {
              throw new ConfigException(e.path() + ".labels: " + problem);
            });
    List<Target> out = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      String where = e.path() + (url != null && i == 0 ? ".url" : ".urls");
      URI base = pprofBase(urls.get(i), where);
      String inst = instance != null ? instance : hostPort(base);
      TargetId.problem(service, inst)
          .ifPresent(
              problem -> {
                throw new ConfigException(e.path() + ": " + problem);
              });
      out.add(
          new Target(
              new TargetId(service, inst), base, profiles, interval, timeout, labels, memoryLimit));
    }
    return out;
  }

  static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A list of profile names at {@code key}, or {@code defaults} when absent. */
  static List<ProfileKind> profiles(ConfigNode n, String key, List<ProfileKind> defaults) {
    List<String> names = n.strings(key, null);
    if (names == null) {
      return defaults;
    }
    Set<ProfileKind> out = new LinkedHashSet<>();
    for (String name : names) {
      out.add(
          ProfileKind.byEndpoint(name)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          n.path() + "." + key + ": unknown profile '" + name + "' (known: "
                              + ProfileKind.names() + ")")));
    }
    if (out.isEmpty()) {
      throw new ConfigException(n.path() + "." + key + ": must not be empty");
    }
    return List.copyOf(out);
  }

  /**
   * Validates {@code text} as an http(s) URL without credentials, query or fragment, and appends
   * {@code /debug/pprof} when it has no path.
   */
  static URI pprofBase(String text, String where) {
    // quoted without user info: a password with a character a URL may not hold fails the parse, and
    // a host with '_' parses without host or user info; the message names the reason, not the input
    String shown = UrlCredentials.hide(text);
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException ex) {
      throw new ConfigException(where + ": '" + shown + "' is not a URL: " + ex.getReason());
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new ConfigException(where + ": '" + shown + "' must be an http(s) URL with a host");
    }
    if (uri.getRawUserInfo() != null) {
      // not echoed: the JDK client would silently send no credentials (the target answers 401),
      // while GET /targets and the log lines would show the password to anyone
      throw new ConfigException(
          where + ": credentials in the url (user:password@) are not supported: the agent sends"
              + " none to targets, and the url is shown on GET /targets and in log lines");
    }
    int port = uri.getPort();
    if (port == 0 || port > MAX_PORT) {
      // java.net.URI takes any digits; the client would fail every scrape ("port out of range"),
      // and a typo in a reloaded target file would replace a working target with one never scraped
      throw new ConfigException(
          where + ": '" + text + "' has port " + port + "; a port is 1 to " + MAX_PORT);
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new ConfigException(where + ": '" + text + "' must not have a query or fragment");
    }
    // raw: decoding would turn %2F into a path separator, and %20 into a url that does not parse
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      path = "/debug/pprof";
    }
    return URI.create(scheme.toLowerCase() + "://" + uri.getRawAuthority() + path);
  }

  private static String hostPort(URI base) {
    int port = base.getPort();
    if (port < 0) {
      port = base.getScheme().equals("https") ? 443 : 80;
    }
    return base.getHost() + ":" + port;
  }
}
