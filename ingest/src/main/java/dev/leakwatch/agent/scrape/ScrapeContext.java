package dev.leakwatch.agent.scrape;

import dev.leakwatch.agent.metrics.AgentMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * What every {@link TargetLoop} shares.
 *
 * @param concurrency permits bounding scrape rounds in flight across all targets
 * @param maxBodyBytes largest profile body accepted
 * @param reprobe how long an optional profile a target does not serve is left alone
 * @param failedRounds the count of repeated failed rounds behind the periodic summary line
 */
public record ScrapeContext(
    ProfileFetcher fetcher,
    ScrapeSink sink,
    Scheduler scheduler,
    Pacing pacing,
    Clock clock,
    AgentMetrics metrics,
    Semaphore concurrency,
    long maxBodyBytes,
    Duration reprobe,
    FailedRounds failedRounds) {

  /** A context with a summary count of its own. */
  public ScrapeContext(
      ProfileFetcher fetcher, ScrapeSink sink, Scheduler scheduler, Pacing pacing, Clock clock,
      AgentMetrics metrics, Semaphore concurrency, long maxBodyBytes, Duration reprobe) {
    this(fetcher, sink, scheduler, pacing, clock, metrics, concurrency, maxBodyBytes, reprobe,
        new FailedRounds());
  }
}
