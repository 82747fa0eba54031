package dev.leakwatch.demo;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Consumer settings of the commands and watchers that read the processor's output topics: only
 * committed records (the processor writes in transactions, so aborted attempts never show), no
 * offsets committed (they read without a consumer group's say), and no topic created by reading.
 */
public final class ReadCommittedSettings {

  private ReadCommittedSettings() {}

  /**
   * {@code client} (connection and security settings) with the above; {@code clientId} unless the
   * client settings name one. A new map each time.
   */
  public static Map<String, Object> of(Map<String, ?> client, String clientId) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    if (clientId != null) {
      config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    }
    return config;
  }
}
