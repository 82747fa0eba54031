package dev.leakwatch.agent.model;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Go process the agent scrapes, fully resolved (defaults applied).
 *
 * @param id service and instance
 * @param pprofBase base of the pprof handlers, e.g. {@code http://10.0.0.7:6060/debug/pprof}
 *     (no trailing slash); profile URLs are {@code <pprofBase>/<endpoint>}
 * @param profiles which profiles to fetch each round, in order
 * @param interval time between scrape rounds when healthy
 * @param timeout bound on one profile request, from sending to the last body byte
 * @param labels labels copied into every envelope from this target
 * @param memoryLimitBytes the process's memory limit in bytes, or {@code null} when unknown
 */
public record Target(
    TargetId id,
    URI pprofBase,
    List<ProfileKind> profiles,
    Duration interval,
    Duration timeout,
    Map<String, String> labels,
    Long memoryLimitBytes) {

  public Target {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pprofBase, "pprofBase");
    profiles = List.copyOf(profiles);
    labels = Map.copyOf(labels);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The URL of one profile, e.g. {@code http://host:6060/debug/pprof/heap}. */
  public URI profileUri(ProfileKind kind) {
    return URI.create(pprofBase + "/" + kind.endpoint());
  }
}
