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
    Duration reprobe) {}
