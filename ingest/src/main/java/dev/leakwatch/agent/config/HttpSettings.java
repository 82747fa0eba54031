package dev.leakwatch.agent.config;

import java.util.Set;

/**
 * Where the agent's HTTP server listens ({@code /metrics}, {@code /targets}, {@code /healthz},
 * and {@code POST /ingest} when push is enabled), from the {@code http:} section.
 *
 * @param host bind address (default {@code 127.0.0.1}: nothing is exposed unless asked)
 * @param port TCP port (default 9464; 0 picks a free port)
 */
public record HttpSettings(String host, int port) {

  static HttpSettings parse(ConfigNode n) {
    n.rejectUnknownKeys(Set.of("host", "port"));
    return new HttpSettings(n.string("host", "127.0.0.1"), n.integer("port", 9464, 0, 65535));
  }

  /** True if the bind address is reachable only from this machine. */
  public boolean loopbackOnly() {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }
}
