package dev.leakwatch.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the topics the processor writes to that already exist can hold its largest records. A
 * record the broker refuses for its size ({@code MESSAGE_TOO_LARGE}) cannot be skipped under
 * exactly-once: the producer's transaction is then doomed, Kafka Streams' production exception
 * handler answering "continue" only moves the failure to the commit, and the stream thread stops
 * at that record again after every restart, stopping every service of its partition. So a topic
 * made by hand with the broker's 1 MB default, or by an earlier processor with a smaller
 * {@code limits.maxEnvelopeBytes}, is refused at start, where the operator can fix it, rather
 * than found at the first large bad input. Topics the processor creates get the room ({@link
 * TopicBootstrap}); Kafka Streams leaves existing internal topics' configuration as it finds it.
 *
 * <p>Room needed: the dead-letter topic, {@link ProcessorConfig#maxRecordBytes} (a dead letter
 * carries its input); the suspects topic and the application's changelog and repartition topics,
 * {@link ProcessorConfig#MAX_RECORD_BYTES}, the bound their writers keep to (lifecycle state and
 * shipped frames, docs/RELIABILITY.md findings 50 to 53 and 65; a suspect event's stack of up to
 * {@code maxReportedFrames} names of up to 64 KiB each). The audit topic is not checked: its records
 * (a validated key and an offset) are a few hundred bytes.
 *
 * <p>A topic lowered while the processor runs passes the start's check and is found at the first
 * record it refuses; {@link #refused} then says what the next start's check will.
 */
final class TopicRoom {

  private static final Logger LOG = LoggerFactory.getLogger(TopicRoom.class);

  private TopicRoom() {}

  /**
   * Checks the topics of {@code config} among {@code existing}, on the cluster at {@code address}.
   *
   * @throws IllegalStateException naming each topic too small, its limit and the room it needs,
   *     in one line
   */
  static void check(Admin client, Object address, ProcessorConfig config, Set<String> existing, Duration wait)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Long> needed = needed(config, existing);
    if (needed.isEmpty()) {
      return;
    }
    List<ConfigResource> resources = needed.keySet().stream()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs;
    try {
      configs = client.describeConfigs(resources).all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        // Reading topic configurations needs DescribeConfigs, which a locked-down cluster may not
        // grant; writing does not. Refusing to start for it would stop a processor that ran before.
        LOG.warn("cannot read the record limits (max.message.bytes) of {}: {}; not checked: each needs at least"
            + " the room docs/PROCESSOR.md gives (Topics)", needed.keySet(), e.getCause().getMessage());
        return;
      }
      throw e;
    }
    List<String> small = new ArrayList<>();
    for (ConfigResource r : resources) {
      ConfigEntry entry = configs.get(r).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      long need = needed.get(r.name());
      if (entry != null && entry.value() != null && Long.parseLong(entry.value()) < need) {
        small.add(r.name() + " has " + entry.value() + ", needs " + need);
      }
    }
    if (!small.isEmpty()) {
      throw new IllegalStateException("topics on " + address + " too small for the records the processor writes"
          + " (max.message.bytes): " + String.join("; ", small)
          + " (a record Kafka refuses stops the processor at it, again after every restart; raise each with"
          + " kafka-configs.sh --alter --entity-type topics --entity-name TOPIC --add-config max.message.bytes=N,"
          + " docs/OPERATIONS.md \"Topic record limits\")");
    }
  }

  /**
   * Why a stream thread stopped at a record Kafka refused for its size, with what to do: the check's
   * line naming each topic too small, read from the cluster now; empty when {@code failure} is not
   * caused by such a refusal. For the failure's log, since Kafka's own message names the topic but
   * neither the room it needs nor the fix, and the same record stops every restart until it is given.
   */
  static Optional<String> refused(ProcessorConfig config, Throwable failure, Duration wait) {
    Throwable t = failure;
    for (int depth = 0; t != null && !(t instanceof RecordTooLargeException) && depth < 16; depth++) {
      t = t.getCause();
    }
    if (!(t instanceof RecordTooLargeException)) {
      return Optional.empty();
    }
    Map<String, Object> settings = TopicBootstrap.adminConfig(config);
    Admin client = Admin.create(settings);
    String why;
    try {
      check(client, settings.get("bootstrap.servers"), config,
          client.listTopics().names().get(wait.toMillis(), TimeUnit.MILLISECONDS), wait);
      why = "every topic it writes to has the room now (max.message.bytes); one raised since, or a record larger"
          + " than " + ProcessorConfig.maxRecordBytes(config.topology()) + " bytes (a bug)";
    } catch (IllegalStateException e) {
      why = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted while reading the topics' record limits";
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      why = "cannot read the topics' record limits (" + e + "); the next start checks them";
    } finally {
      client.close(Duration.ZERO);
    }
    return Optional.of("Kafka refused a record for its size (RecordTooLargeException): " + why);
  }

  /** The existing topics to check, with the room each needs, in the order the message names them. */
  static Map<String, Long> needed(ProcessorConfig config, Set<String> existing) {
    Map<String, Long> needed = new LinkedHashMap<>();
    String deadLetters = config.topology().deadLetterTopic();
    String suspects = config.topology().suspectsTopic();
    if (existing.contains(deadLetters)) {
      needed.put(deadLetters, ProcessorConfig.maxRecordBytes(config.topology()));
    }
    if (existing.contains(suspects)) {
      needed.merge(suspects, (long) ProcessorConfig.MAX_RECORD_BYTES, Math::max);
    }
    // Kafka Streams names them <application.id>-<name>-changelog / -repartition
    String prefix = config.streams().getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-";
    existing.stream().filter(t -> t.startsWith(prefix) && (t.endsWith("-changelog") || t.endsWith("-repartition")))
        .sorted().forEach(t -> needed.merge(t, (long) ProcessorConfig.MAX_RECORD_BYTES, Math::max));
    return needed;
  }
}
