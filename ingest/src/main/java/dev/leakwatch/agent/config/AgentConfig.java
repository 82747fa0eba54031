package dev.leakwatch.agent.config;

import dev.leakwatch.agent.model.Shard;
import dev.leakwatch.agent.model.Target;
import java.time.Duration;
import java.util.List;

/**
 * Everything an agent runs with, as read from {@code agent.yaml} (see {@link AgentConfigLoader}).
 *
 * @param agentId identity written into each envelope's {@code agent} field (default: host name)
 * @param shutdownGrace how long closing waits for buffered profiles to reach Kafka (default 10 s)
 * @param targets the static targets; discovery files and Kubernetes pods add more at run time
 */
public record AgentConfig(
    String agentId,
    Duration shutdownGrace,
    HttpSettings http,
    PushSettings push,
    ScrapeSettings scrape,
    BufferSettings buffer,
    KafkaSettings kafka,
    List<Target> targets,
    DiscoverySettings discovery) {

  public AgentConfig {
    targets = List.copyOf(targets);
  }

  /** The same configuration with the push endpoint switched on or off (the gateway forces it on). */
  public AgentConfig withPushEnabled(boolean enabled) {
    PushSettings p =
        new PushSettings(enabled, push.tokens(), push.maxBodyBytes(), push.allowUnauthenticated());
    return new AgentConfig(
        agentId, shutdownGrace, http, p, scrape, buffer, kafka, targets, discovery);
  }

  /**
   * The configuration of a push-only gateway: the push endpoint on, no static targets, no
   * discovery files and no Kubernetes discovery. Turning push on can break a rule the loaded file passed (an open endpoint on
   * a non-loopback host), which is why {@code Agent.start} validates the configuration it runs.
   */
  public AgentConfig pushOnly() {
    return new AgentConfig(
            agentId, shutdownGrace, http, push, scrape, buffer, kafka, List.of(),
            discovery.withoutSources())
        .withPushEnabled(true);
  }

  /** The same configuration scraping another share of the targets (CLI override). */
  public AgentConfig withShard(Shard s) {
    return new AgentConfig(
        agentId, shutdownGrace, http, push, scrape.withShard(s), buffer, kafka, targets, discovery);
  }

  /** The same configuration listening on another address (CLI overrides). */
  public AgentConfig withHttp(HttpSettings h) {
    return new AgentConfig(
        agentId, shutdownGrace, h, push, scrape, buffer, kafka, targets, discovery);
  }
}
