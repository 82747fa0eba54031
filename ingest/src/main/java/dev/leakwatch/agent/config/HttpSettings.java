package dev.leakwatch.agent.config;

import java.time.Duration;
import java.util.Set;

/**
 * Where the agent's HTTP server listens ({@code /metrics}, {@code /targets}, {@code /healthz},
 * and {@code POST /ingest} when push is enabled), from the {@code http:} section.
 *
 * @param host bind address (default {@code 127.0.0.1}: nothing is exposed unless asked)
 * @param port TCP port (default 9464; 0 picks a free port)
 * @param bodyTimeout how long a request body may take to arrive in full, counted from the end of
 *     its headers (default 10 s); a slower one is answered 408 and its connection closed
 * @param perTargetMetrics whether {@code /metrics} has scrape series per target ({@code service} and
 *     {@code instance} labels; default true) or summed over the targets by profile
 */
public record HttpSettings(String host, int port, Duration bodyTimeout, boolean perTargetMetrics) {

  /** Default of {@link #bodyTimeout()}. */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

  static HttpSettings parse(ConfigNode n) {
    n.rejectUnknownKeys(Set.of("host", "port", "bodyTimeout", "perTargetMetrics"));
    return new HttpSettings(n.string("host", "127.0.0.1"), n.integer("port", 9464, 0, 65535),
        n.duration("bodyTimeout", DEFAULT_BODY_TIMEOUT, Duration.ofMillis(100)), n.bool("perTargetMetrics", true));
  }

  /** These settings with another bind address and port. */
  public HttpSettings withAddress(String newHost, int newPort) {
    return new HttpSettings(newHost, newPort, bodyTimeout, perTargetMetrics);
  }

  /** True if the bind address is reachable only from this machine. */
  public boolean loopbackOnly() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }
}
