package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional profiles a target answered with 404, each left out of its rounds until its re-probe
 * time: most of a fleet does not serve {@code goroutineleak} (Go 1.26+, opt-in), and asking every
 * round would cost a request per target and round for nothing. Not being served is no failure; it
 * is logged once, when it starts, not at every re-probe. Logged under {@link TargetLoop}'s name,
 * where this line always was.
 *
 * <p>Not thread-safe: used under its {@link TargetLoop}'s monitor.
 */
final class NotServedProfiles {
  private static final Logger LOG = LoggerFactory.getLogger(TargetLoop.class);

  private final Map<ProfileKind, Instant> until = new EnumMap<>(ProfileKind.class);

  /** {@code target}'s profiles to ask for at {@code now}: all but those waiting for their re-probe. */
  List<ProfileKind> due(Target target, Instant now) {
    return target.profiles().stream()
        .filter(k -> !until.containsKey(k) || !now.isBefore(until.get(k)))
        .collect(Collectors.toList());
  }

  /** {@code kind} was answered with 404 at {@code now}: not asked for again before {@code reprobe}. */
  void notServed(Target target, ProfileKind kind, Instant now, Duration reprobe) {
    if (until.put(kind, now.plus(reprobe)) == null) {
      LOG.info(
          "target {} does not serve /debug/pprof/{} (HTTP 404); asking again every {}",
          target.id(), kind.endpoint(), Durations.format(reprobe));
    }
  }

  /** {@code kind} was scraped: asked for at every round again. */
  void served(ProfileKind kind) {
    until.remove(kind);
  }
}
