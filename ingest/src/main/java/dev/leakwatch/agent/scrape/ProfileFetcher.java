package dev.leakwatch.agent.scrape;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Fetches one profile body. */
public interface ProfileFetcher {

  /**
   * Fetches {@code uri}.
   *
   * @param timeout bound from sending the request to the last body byte
   * @param maxBytes largest body accepted, enforced while reading
   * @return the body exactly as served; completes exceptionally with a {@link ScrapeFailure}
   *     (possibly wrapped in a {@link java.util.concurrent.CompletionException})
   */
  CompletableFuture<byte[]> fetch(URI uri, Duration timeout, long maxBytes);
}
