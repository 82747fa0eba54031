package dev.leakwatch.agent.config;

import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Shard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Defaults and limits for scraping, from the {@code scrape:} section.
 *
 * @param interval time between rounds of a healthy target (default 30 s)
 * @param timeout bound on one profile request including its body (default 10 s, or the interval
 *     if that is shorter); also the default of targets that set none (shortened to their interval)
 * @param jitter each delay is multiplied by a random factor in {@code [1-jitter, 1+jitter]}, and
 *     a target's first round starts at a random point of its first interval, so thousands of
 *     targets do not fire together (default 0.1)
 * @param maxBodyBytes largest profile body accepted, enforced while reading (default 16 MiB)
 * @param maxConcurrent scrape rounds in flight at once across all targets (default 64)
 * @param backoffMax longest wait after repeated failures (default 5 min; never below the interval)
 * @param reprobe how long a target that does not serve an optional profile (HTTP 404 for {@code
 *     goroutineleak}) is left alone before it is asked again (default 30 min)
 * @param profiles profiles fetched when a target does not list its own
 * @param shard the share of the targets (static and discovered) this agent scrapes (default all)
 * @param tls trust and client certificate for {@code https} targets (default: the JVM's trust
 *     store, no client certificate)
 */
public record ScrapeSettings(
    Duration interval,
    Duration timeout,
    double jitter,
    long maxBodyBytes,
    int maxConcurrent,
    Duration backoffMax,
    Duration reprobe,
    List<ProfileKind> profiles,
    Shard shard,
    TargetTls tls) {

  public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;

  static ScrapeSettings parse(ConfigNode n, Path baseDir) {
    n.rejectUnknownKeys(
        Set.of(
            "interval", "timeout", "jitter", "maxBodySize", "maxConcurrent", "backoffMax",
            "reprobe", "profiles", "shard", "tls"));
    Duration interval = n.duration("interval", Duration.ofSeconds(30), Duration.ofMillis(100));
    Duration timeout = n.duration("timeout", TargetParser.shorter(Duration.ofSeconds(10), interval),
        Duration.ofMillis(10));
    return new ScrapeSettings(
        interval,
        timeout,
        n.number("jitter", 0.1, 0.0, 0.5),
        n.bytes("maxBodySize", DEFAULT_MAX_BODY_BYTES, 1024),
        n.integer("maxConcurrent", 64, 1, 10_000),
        n.duration("backoffMax", Duration.ofMinutes(5), Duration.ofMillis(100)),
        n.duration("reprobe", Duration.ofMinutes(30), Duration.ofSeconds(1)),
        TargetParser.profiles(n, "profiles", ProfileKind.DEFAULTS),
        shard(n),
        TargetTls.parse(n.child("tls"), baseDir));
  }

  /** The same settings scraping another share of the targets (a command-line override). */
  public ScrapeSettings withShard(Shard s) {
    return new ScrapeSettings(interval, timeout, jitter, maxBodyBytes, maxConcurrent, backoffMax, reprobe, profiles, s, tls);
  }

  private static Shard shard(ConfigNode n) {
    String text = n.string("shard", null);
    if (text == null) {
      return Shard.ALL;
    }
    try {
      return Shard.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(n.child("shard").path() + ": " + e.getMessage());
    }
  }
}
