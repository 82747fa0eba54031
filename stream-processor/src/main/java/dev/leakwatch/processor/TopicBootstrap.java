package dev.leakwatch.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the processor's external topics (input, dead letters, suspects, audit) when missing, so
 * that a fresh cluster works without manual set-up, with {@code max.message.bytes} room for the
 * largest input and dead letter ({@link ProcessorConfig#maxRecordBytes}). Internal topics are Kafka
 * Streams' business. Existing topics are left as they are, but those it writes to must have room for
 * its records ({@link TopicRoom}), whether {@code topics.create} is true or false. With {@code
 * topics.create: false} it only checks that they exist: otherwise Streams stops at its first
 * rebalance with a stack trace per thread (a missing input), or a broker that auto-creates topics
 * makes a missing output topic with its defaults, too small for a large dead letter.
 */
public final class TopicBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrap.class);

  private TopicBootstrap() {}

  /** How long each step (listing, creating) waits for the cluster. */
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(30);

  /**
   * Creates the missing topics of {@code config}; when {@code topics.create} is false, checks that none is missing.
   *
   * @throws IllegalStateException naming the bootstrap address and the reason when the topics
   *     cannot be listed or created (e.g. no broker answers within 30 s), naming the missing ones
   *     when {@code topics.create} is false, or naming the existing ones too small for the records
   *     written to them
   */
  public static void ensureTopics(ProcessorConfig config) {
    ensureTopics(config, ANSWER_WAIT);
  }

  static void ensureTopics(ProcessorConfig config, Duration wait) {
    boolean create = config.topics().create();
    Map<String, Object> admin = adminConfig(config);
    int rf = Integer.parseInt(config.streams().get(StreamsConfig.REPLICATION_FACTOR_CONFIG).toString());
    Optional<Short> replication = rf < 0 ? Optional.empty() : Optional.of((short) rf);
    Admin client = Admin.create(admin);
    try {
      Set<String> existing = client.listTopics().names().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : config.externalTopics()) {
        if (!existing.contains(topic)) {
          // room for the largest input and dead letter (the broker's default is 1 MB)
          missing.add(new NewTopic(topic, Optional.of(config.topics().partitions()), replication).configs(Map.of(
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(ProcessorConfig.maxRecordBytes(config.topology())))));
        }
      }
      if (!create && !missing.isEmpty()) {
        throw new IllegalStateException("topics missing on " + admin.get("bootstrap.servers") + ": "
            + String.join(", ", missing.stream().map(NewTopic::name).toList())
            + " (topics.create is false: create them as docs/PROCESSOR.md says, or set topics.create: true)");
      }
      // before creating any: a refused start changes nothing
      TopicRoom.check(client, admin.get("bootstrap.servers"), config, existing, wait);
      if (missing.isEmpty()) {
        return;
      }
      try {
        client.createTopics(missing).all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e; // another instance creating the same topic at the same time is fine
        }
      }
      LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      // the future's own timeout carries no message: say what was waited for
      throw new IllegalStateException("cannot " + (create ? "create" : "check") + " topics on "
          + admin.get("bootstrap.servers") + ": Kafka did not answer within " + seconds(wait), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + (create ? "create" : "check") + " topics on " + admin.get("bootstrap.servers")
          + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    } finally {
      // nothing is pending after a success; after a failure, calls still waiting are of no use
      client.close(Duration.ZERO);
    }
  }

  /** The admin client's settings: the processor's clients' ({@code streams.*}, {@code admin.*} ones first). */
  static Map<String, Object> adminConfig(ProcessorConfig config) {
    return new StreamsConfig(config.streams()).getAdminConfigs("leakwatch-topic-bootstrap");
  }

  /** {@code 30s}, or {@code 1500ms} when not whole seconds. */
  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
