package dev.leakwatch.topology;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessingFailureHandler} on a real broker under {@code exactly_once_v2}: the dead letter
 * of a stage that throws is committed with the task's transaction (read_committed consumers see it),
 * the records after it are processed, and the failed record's offset is committed too, so a restart
 * neither processes nor dead-letters it again. Built as the processor builds it ({@link
 * LeakwatchTopology#topology} and {@link LeakwatchTopology#streamsSettings} with the processor's own
 * Streams settings); the failing stage is an observer that throws, the hook the builder offers.
 */
class ProcessingFailureBrokerTest {

  private static final String APP = "leakwatch-processing-failure-test";

  private static Path temp;
  private static KafkaClusterTestKit cluster;

  @BeforeAll
  static void startBroker() throws Exception {
    temp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "processing-failure-test")), "run");
    // ProcessorYaml's session timeout (3 s) is below the broker's default minimum
    cluster = TestBroker.start(temp.resolve("kafka"), Map.of("group.min.session.timeout.ms", "1000"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldCommitTheDeadLetterGoOnAndNotRepeatTheRecordAfterARestart() throws Exception {
    ProcessorConfig config = ProcessorConfig.parse(
        ProcessorYaml.failover(APP, cluster.bootstrapServers(), temp.resolve("state"), 1));
    assertEquals(StreamsConfig.EXACTLY_ONCE_V2, config.streams().getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
    TopicBootstrap.ensureTopics(config);
    List<ProducerRecord<byte[], byte[]>> input = CorpusRecords.inCaptureOrder(List.of("G")).subList(0, 8);
    int failing = 2; // the third record's decode stage throws

    List<Position> produced = new ArrayList<>();
    try (ProcessorOutputs outputs = new ProcessorOutputs(cluster.bootstrapServers(), config.topology());
        KafkaProducer<byte[], byte[]> producer = producer()) {
      try (KafkaStreams streams = start(config, new ThrowingAt(failing + 1))) {
        for (ProducerRecord<byte[], byte[]> r : input.subList(0, 6)) {
          produced.add(Position.of(producer.send(r).get()));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
            .until(() -> outputs.accounted().containsAll(produced));
        assertEquals(KafkaStreams.State.RUNNING, streams.state(), "the stage's bug did not stop the processor");
      }
      assertEquals(List.of(produced.get(failing)), outputs.deadLettered(), "only the record whose stage threw");
      TopicReader.Read letter = outputs.deadLetterRecords().get(0);
      assertEquals("processing", header(letter, DeadLetter.STAGE));
      assertEquals(TopologyNames.DECODE, header(letter, ProcessingFailureHandler.NODE));
      List<Position> others = new ArrayList<>(produced);
      others.remove(failing);
      assertEquals(others, outputs.processed(), "the records before and after it, once each");

      // A restart (same application, same state) resumes after the committed offsets.
      try (KafkaStreams streams = start(config, new ThrowingAt(0))) {
        for (ProducerRecord<byte[], byte[]> r : input.subList(6, 8)) {
          produced.add(Position.of(producer.send(r).get()));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
            .until(() -> outputs.accounted().containsAll(produced));
      }
      assertEquals(List.of(produced.get(failing)), outputs.deadLettered(), "not dead-lettered again");
      List<Position> processed = outputs.processed();
      assertEquals(processed.size(), new HashSet<>(processed).size(), "nothing processed twice: " + processed);
      assertTrue(!processed.contains(produced.get(failing)), "the failed record was not processed after the restart");
      assertEquals(produced.size() - 1, processed.size());
    }
  }

  private static KafkaStreams start(ProcessorConfig config, TopologyObserver observer) {
    Properties props = new Properties();
    props.putAll(config.streams());
    props.putAll(LeakwatchTopology.streamsSettings(config.topology(), observer));
    KafkaStreams streams = new KafkaStreams(LeakwatchTopology.topology(config.topology(), observer), props);
    streams.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
    return streams;
  }

  private static String header(TopicReader.Read r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Throws at the {@code failAt}-th decoded profile (1-based; 0: never). */
  private static final class ThrowingAt implements TopologyObserver {
    private final AtomicInteger decoded = new AtomicInteger();
    private final int failAt;

    ThrowingAt(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public void profileDecoded(String profileType, long decodeNanos) {
      if (decoded.incrementAndGet() == failAt) {
        throw new IllegalStateException("index 7 out of 5");
      }
    }
  }
}
