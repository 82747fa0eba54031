package dev.leakwatch.agent.publish;

import dev.leakwatch.schemas.settings.KafkaClientDefaults;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the profiles topic exists before anything is sent to it: creates it if asked to
 * (with a {@code max.message.bytes} that admits the largest accepted profile), or only checks for
 * it.
 *
 * <p>Why nothing may be sent first: a Java producer's first send to a missing topic asks for its
 * metadata with auto-creation allowed (no producer setting turns that off), so a broker that
 * auto-creates topics — Kafka's default — would create it with the broker's own defaults (often
 * one partition and a 1 MB message limit, which refuses large profiles for good).
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  /** Bounds the admin client's close: pending calls have timed out by then anyway. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

  /** What {@link #ensure} or {@link #check} found. */
  public enum Outcome {
    /** The topic exists (created now or before). */
    READY,
    /** The topic does not exist and was not created (not asked to, or the cluster refused). */
    MISSING,
    /** The cluster could not be reached or asked in time. */
    UNREACHABLE
  }

  /**
   * How a topic is to be set up; {@link #gate} turns it into the publisher's setup step.
   *
   * @param create whether a missing topic is created, else only waited for
   * @param partitions partitions of a created topic
   * @param replicationFactor replication factor of a created topic, or -1 for the broker default
   * @param maxMessageBytes the created topic's {@code max.message.bytes}
   * @param timeout bound on each question to the cluster
   */
  public record Plan(
      String topic,
      boolean create,
      int partitions,
      short replicationFactor,
      long maxMessageBytes,
      Duration timeout) {}

  private TopicSetup() {}

  /**
   * The setup step of a {@link KafkaPublisher}: true once the topic exists. Until then the
   * publisher sends nothing and asks again after a backoff, so profiles wait in the buffer for a
   * topic that is still missing, or for Kafka to answer.
   */
  public static BooleanSupplier gate(Map<String, Object> clientConfig, Plan plan) {
    return () ->
        (plan.create() ? ensure(clientConfig, plan) : check(clientConfig, plan)) == Outcome.READY;
  }

  /** Creates the topic if it is missing; {@link Outcome#MISSING} when the cluster refused. */
  public static Outcome ensure(Map<String, Object> clientConfig, Plan plan) {
    String topic = plan.topic();
    Duration timeout = plan.timeout();
    return ask(clientConfig, topic, timeout, admin -> {
      if (exists(admin, topic, timeout)) {
        return Outcome.READY;
      }
      NewTopic nt =
          new NewTopic(
                  topic,
                  Optional.of(plan.partitions()),
                  plan.replicationFactor() < 0
                      ? Optional.empty()
                      : Optional.of(plan.replicationFactor()))
              .configs(
                  Map.of(
                      TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(plan.maxMessageBytes())));
      try {
        admin.createTopics(Set.of(nt)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          return Outcome.READY;
        }
        throw e;
      }
      LOG.info(
          "created topic {} ({} partitions, max.message.bytes={})",
          topic, plan.partitions(), plan.maxMessageBytes());
      return Outcome.READY;
    });
  }

  /** Only looks: {@link Outcome#MISSING} when the topic does not exist (or is not visible). */
  public static Outcome check(Map<String, Object> clientConfig, Plan plan) {
    String topic = plan.topic();
    return ask(clientConfig, topic, plan.timeout(), admin -> {
      if (exists(admin, topic, plan.timeout())) {
        return Outcome.READY;
      }
      LOG.warn(
          "topic {} does not exist and is not to be created here: profiles stay buffered until"
              + " it is created",
          topic);
      return Outcome.MISSING;
    });
  }

  /** One round of questions to the cluster through a short-lived admin client. */
  private interface AdminCall {
    Outcome ask(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
  }

  private static boolean exists(Admin admin, String topic, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    // a principal allowed to write a topic may describe it, so it is listed if it exists
    return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic);
  }

  private static Outcome ask(
      Map<String, Object> clientConfig, String topic, Duration timeout, AdminCall call) {
    Admin admin = Admin.create(adminConfig(clientConfig, timeout));
    try {
      return call.ask(admin);
    } catch (ExecutionException e) {
      LOG.warn("could not set up topic {}: {}", topic, e.getCause().toString());
      // the admin client's own timeouts and a cluster still electing a controller are retriable
      return e.getCause() instanceof RetriableException ? Outcome.UNREACHABLE : Outcome.MISSING;
    } catch (TimeoutException e) {
      LOG.warn(
          "could not check topic {} within {} ms (broker unreachable?)", topic, timeout.toMillis());
      return Outcome.UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.UNREACHABLE;
    } finally {
      admin.close(CLOSE_TIMEOUT);
    }
  }

  /**
   * The settings of {@code clientConfig} that concern an admin client (connection, reconnection and
   * security), with {@code timeout} as its request and API timeout: producer or serde settings would
   * only make it warn that it does not know them. {@code reconnect.backoff.max.ms} defaults to
   * {@link KafkaClientDefaults#RECONNECT_BACKOFF_MAX_MS} as the producer's does (a set-up asked again
   * while a broker is down would otherwise log its two WARN lines about once a second).
   */
  public static Map<String, Object> adminConfig(
      Map<String, ?> clientConfig, Duration timeout) {
    Map<String, Object> c = new HashMap<>();
    for (Map.Entry<String, ?> e : clientConfig.entrySet()) {
      String k = e.getKey();
      if (k.equals("bootstrap.servers") || k.startsWith("security.") || k.startsWith("ssl.")
          || k.startsWith("sasl.") || k.equals("client.dns.lookup")
          || k.startsWith("reconnect.backoff.")) {
        c.put(k, e.getValue());
      }
    }
    c.putIfAbsent(
        CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, KafkaClientDefaults.RECONNECT_BACKOFF_MAX_MS);
    int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    c.put("request.timeout.ms", ms);
    c.put("default.api.timeout.ms", ms);
    return c;
  }
}
