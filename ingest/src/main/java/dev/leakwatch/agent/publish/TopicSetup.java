package dev.leakwatch.agent.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the profiles topic if it is missing, with a {@code max.message.bytes} that admits the
 * largest accepted profile. Best effort: without permission (or with the broker unreachable) the
 * agent logs why and carries on, since the topic is usually managed by the platform team; the
 * {@link Outcome} tells a caller whether asking again later can help.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  /** What {@link #ensure} found. */
  public enum Outcome {
    /** The topic exists (created now or before). */
    READY,
    /** The cluster refused to create it (a permission, a policy, a bad setting): final. */
    REFUSED,
    /** The cluster could not be reached or asked in time: asking again later can succeed. */
    UNREACHABLE
  }

  private TopicSetup() {}

  /**
   * @param partitions partitions of a created topic
   * @param replicationFactor replication factor, or -1 for the broker default
   * @param maxMessageBytes the topic's {@code max.message.bytes}
   */
  public static Outcome ensure(
      Map<String, Object> clientConfig,
      String topic,
      int partitions,
      short replicationFactor,
      long maxMessageBytes,
      Duration timeout) {
    try (Admin admin = Admin.create(adminConfig(clientConfig, timeout))) {
      if (admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
        return Outcome.READY;
      }
      NewTopic nt =
          new NewTopic(
                  topic,
                  Optional.of(partitions),
                  replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor))
              .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(maxMessageBytes)));
      admin.createTopics(Set.of(nt)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info(
          "created topic {} ({} partitions, max.message.bytes={})",
          topic, partitions, maxMessageBytes);
      return Outcome.READY;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return Outcome.READY;
      }
      LOG.warn("could not create topic {}: {}", topic, e.getCause().toString());
      // the admin client's own timeouts and a cluster still electing a controller are retriable
      return e.getCause() instanceof RetriableException ? Outcome.UNREACHABLE : Outcome.REFUSED;
    } catch (TimeoutException e) {
      LOG.warn("could not check topic {} within {} ms (broker unreachable?)", topic, timeout.toMillis());
      return Outcome.UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.UNREACHABLE;
    }
  }

  private static Map<String, Object> adminConfig(Map<String, Object> clientConfig, Duration timeout) {
    Map<String, Object> c = new HashMap<>();
    // Only connection and security settings make sense for the admin client.
    for (Map.Entry<String, Object> e : clientConfig.entrySet()) {
      String k = e.getKey();
      if (k.equals("bootstrap.servers") || k.startsWith("security.") || k.startsWith("ssl.")
          || k.startsWith("sasl.") || k.equals("client.dns.lookup")) {
        c.put(k, e.getValue());
      }
    }
    c.put("request.timeout.ms", (int) timeout.toMillis());
    c.put("default.api.timeout.ms", (int) timeout.toMillis());
    return c;
  }
}
