package dev.leakwatch.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the query API's HTTP server.
 *
 * @param host interface to bind; default {@value #DEFAULT_HOST} (loopback: nothing outside the
 *     machine can reach the API unless told otherwise)
 * @param port TCP port; default {@value #DEFAULT_PORT}; 0 picks a free one
 * @param tokens accepted bearer tokens; empty disables authentication. Instances forward requests to
 *     each other with the first one, so every instance of an application needs the same list
 * @param metricsRequireToken whether {@code /metrics} needs a token too (default false: Prometheus
 *     scrapes it); {@code /healthz} and {@code /readyz} never do
 * @param maxRange longest time range a query may ask for (default 7 days; capped at the window
 *     retention by the processor)
 * @param peerTimeout how long an instance waits for another one's answer (default 10 s)
 * @param maxPeerResponseBytes largest answer read from another instance (default 256 MiB)
 * @param bodyTimeout how long a request body may take to arrive in full, from the end of its
 *     headers (default 10 s); a slower one is answered 408 and its connection closed
 * @param maxConcurrentQueries most queries under {@code /api/} (internal parts excepted) handled at
 *     once; one more is answered 503 at once instead of queued (default {@link
 *     #defaultMaxConcurrentQueries()}): heavy queries running without bound exhaust the heap and
 *     the CPUs the stream threads need
 */
public record ApiSettings(String host, int port, List<String> tokens, boolean metricsRequireToken, Duration maxRange,
    Duration peerTimeout, long maxPeerResponseBytes, Duration bodyTimeout, int maxConcurrentQueries) {

  /** Default of {@link #bodyTimeout()}. */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;

  public ApiSettings {
    Objects.requireNonNull(host, "host");
    tokens = List.copyOf(tokens);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside [0, 65535]");
    }
    if (tokens.stream().anyMatch(t -> t.isBlank() || t.chars().anyMatch(c -> c <= ' ' || c > '~'))) {
      throw new IllegalArgumentException("tokens must be non-blank printable ASCII without spaces");
    }
    if (maxRange.toMillis() < 1000) {
      throw new IllegalArgumentException("maxRange must be >= 1s, not " + maxRange.toMillis() + "ms");
    }
    if (peerTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("peerTimeout must be >= 1ms, not " + peerTimeout.toMillis() + "ms");
    }
    if (maxPeerResponseBytes < 1024) {
      throw new IllegalArgumentException("maxPeerResponseBytes must be >= 1 KiB, not " + maxPeerResponseBytes
          + " bytes");
    }
    if (bodyTimeout.toMillis() < 100) {
      throw new IllegalArgumentException("bodyTimeout must be >= 100ms, not " + bodyTimeout.toMillis() + "ms");
    }
    if (maxConcurrentQueries < 1) {
      throw new IllegalArgumentException("maxConcurrentQueries must be >= 1, not " + maxConcurrentQueries);
    }
  }

  /**
   * Default of {@link #maxConcurrentQueries()}: two per CPU, at least 4. A heavy query (a week of a
   * service's windows) keeps one CPU busy for seconds and holds tens of MiB while it runs: twice the
   * CPUs keeps the stream threads a share of the CPUs and the heap far from its end (docs/API.md has
   * the measurements); at least 4 because one UI page asks up to three queries at once.
   */
  public static int defaultMaxConcurrentQueries() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /** Settings with the default {@link #maxConcurrentQueries()}. */
  public ApiSettings(String host, int port, List<String> tokens, boolean metricsRequireToken, Duration maxRange,
      Duration peerTimeout, long maxPeerResponseBytes, Duration bodyTimeout) {
    this(host, port, tokens, metricsRequireToken, maxRange, peerTimeout, maxPeerResponseBytes, bodyTimeout,
        defaultMaxConcurrentQueries());
  }

  /** Settings with the default {@link #bodyTimeout()}. */
  public ApiSettings(String host, int port, List<String> tokens, boolean metricsRequireToken, Duration maxRange,
      Duration peerTimeout, long maxPeerResponseBytes) {
    this(host, port, tokens, metricsRequireToken, maxRange, peerTimeout, maxPeerResponseBytes, DEFAULT_BODY_TIMEOUT);
  }

  /** The documented defaults. */
  public static ApiSettings defaults() {
    return new ApiSettings(DEFAULT_HOST, DEFAULT_PORT, List.of(), false, Duration.ofDays(7), Duration.ofSeconds(10),
        256L << 20);
  }

  public ApiSettings withPort(int v) {
    return new ApiSettings(host, v, tokens, metricsRequireToken, maxRange, peerTimeout, maxPeerResponseBytes,
        bodyTimeout, maxConcurrentQueries);
  }

  public ApiSettings withBodyTimeout(Duration v) {
    return new ApiSettings(host, port, tokens, metricsRequireToken, maxRange, peerTimeout, maxPeerResponseBytes, v,
        maxConcurrentQueries);
  }

  public ApiSettings withTokens(List<String> v) {
    return new ApiSettings(host, port, v, metricsRequireToken, maxRange, peerTimeout, maxPeerResponseBytes,
        bodyTimeout, maxConcurrentQueries);
  }

  public ApiSettings withMaxConcurrentQueries(int v) {
    return new ApiSettings(host, port, tokens, metricsRequireToken, maxRange, peerTimeout, maxPeerResponseBytes,
        bodyTimeout, v);
  }

  /** Whether {@link #host()} binds every interface, so it cannot be advertised to other instances. */
  public boolean wildcardHost() {
    return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }
}
