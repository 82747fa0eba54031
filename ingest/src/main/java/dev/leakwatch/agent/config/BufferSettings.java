package dev.leakwatch.agent.config;

import java.util.Set;

/**
 * Bounds of the in-memory buffer that holds profiles while Kafka is slow or unreachable, from
 * the {@code buffer:} section. When either bound is reached, scraped profiles evict the oldest
 * (counted as dropped) and pushed profiles are refused with 503.
 *
 * @param maxRecords most profiles held (default 10,000)
 * @param maxBytes most profile bytes held (default 256 MiB)
 */
public record BufferSettings(int maxRecords, long maxBytes) {

  static BufferSettings parse(ConfigNode n) {
    n.rejectUnknownKeys(Set.of("maxRecords", "maxBytes"));
    return new BufferSettings(
        n.integer("maxRecords", 10_000, 1, 10_000_000), n.bytes("maxBytes", 256L << 20, 1024));
  }
}
