package dev.leakwatch.agent.publish;

import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.schemas.settings.KafkaClientChecks;
import dev.leakwatch.schemas.settings.KafkaClientDefaults;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

/**
 * The producer configuration: the agent's defaults, overridden by whatever the configuration
 * file's {@code kafka.client} section says (TLS, SASL and any producer setting pass through
 * unchanged).
 *
 * <p>Defaults: idempotent ({@code enable.idempotence=true}, {@code acks=all}) so retries never
 * duplicate or reorder an instance's profiles; {@code zstd} compression; {@code max.request.size}
 * = the largest accepted profile + {@link #ENVELOPE_HEADROOM} (the topic's {@code
 * max.message.bytes} must be at least this, see {@link #requiredMaxMessageBytes}); {@code
 * buffer.memory} large enough for two such requests; a short linger to batch a round's profiles;
 * {@code reconnect.backoff.max.ms} of {@link KafkaClientDefaults#RECONNECT_BACKOFF_MAX_MS}.
 */
public final class ProducerSettings {
  /** Room for the envelope's other fields (names, labels) and record/batch overhead. */
  public static final long ENVELOPE_HEADROOM = 1L << 20;

  private ProducerSettings() {}

  /** The producer configuration of an agent running {@code cfg}. */
  public static Map<String, Object> of(AgentConfig cfg) {
    return build(largestProfile(cfg), "leakwatch-agent-" + cfg.agentId(), cfg.kafka().client());
  }

  /** The largest profile body {@code cfg} accepts, scraped or pushed. */
  public static long largestProfile(AgentConfig cfg) {
    return Math.max(cfg.scrape().maxBodyBytes(), cfg.push().maxBodyBytes());
  }

  /**
   * The Kafka client's refusal of a {@code kafka.client} setting (a bad value, an unresolvable
   * bootstrap server, an unreadable keystore) as a configuration error: the messages of {@code e}
   * and its causes, each once, since the client wraps the telling one.
   */
  public static ConfigException refused(KafkaException e) {
    return new ConfigException("kafka.client: " + KafkaClientChecks.messages(e), e);
  }

  /**
   * @param maxProfileBytes the largest profile body the agent accepts (scrape or push)
   * @param clientId default {@code client.id}
   * @param overrides the configuration file's client properties
   */
  public static Map<String, Object> build(
      long maxProfileBytes, String clientId, Map<String, String> overrides) {
    long maxRequest = requiredMaxMessageBytes(maxProfileBytes);
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE, maxRequest));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(64L << 20, 2 * maxRequest));
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, KafkaClientDefaults.RECONNECT_BACKOFF_MAX_MS);
    p.putAll(overrides);
    return p;
  }

  /**
   * The smallest {@code max.message.bytes} of the topic (and {@code max.request.size} of the
   * producer) that lets a profile of {@code maxProfileBytes} through: the profile plus {@link
   * #ENVELOPE_HEADROOM}. With the default 16 MiB limit: 17 MiB = 17825792 bytes.
   */
  public static long requiredMaxMessageBytes(long maxProfileBytes) {
    return maxProfileBytes + ENVELOPE_HEADROOM;
  }
}
