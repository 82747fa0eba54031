package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.agent.model.Envelopes;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.DeadLetter;
import dev.leakwatch.topology.ProcessingFailureHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code ./leakwatch dead-letters}: the listing's lines for letters of several stages, and {@code
 * --redrive}, which republishes exactly the letters that hold an input of the target topic, as that
 * input was (key, value, timestamp, headers).
 */
class DeadLettersCommandTest {

  private static final String DLQ = "dlq.test";
  private static final String PROFILES = "profiles.test";
  private static final long SOURCE_TIME = 1_700_000_000_123L;
  private static final byte[] TRACE = "00-abc-01".getBytes(StandardCharsets.UTF_8);

  private final CliRun cli = new CliRun();

  /** A recorded goroutine profile in a real envelope, keyed as an agent keys it. */
  private static byte[] recordedEnvelope() throws Exception {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null, "testdata not available");
    Path file = Path.of(testdata, "corpus", "G_session-store", "replica-0", "0000-goroutine.pb.gz");
    assumeTrue(Files.isRegularFile(file), file + " not available");
    ProfileEnvelope e = Envelopes.replayed(new TargetId("session-store", "replica-0"), ProfileKind.GOROUTINE,
        Instant.ofEpochMilli(SOURCE_TIME), null, Files.readAllBytes(file), "test");
    return LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer().serialize(PROFILES, e);
  }

  /**
   * Writes four dead letters as the processor writes them, at record times 1..4 s after SOURCE_TIME:
   * validation (a recorded profile, with its own header), avro (a malformed value), size (no value),
   * processing in a per-service stage (the repartitioned report).
   */
  private static void writeLetters(TestBroker broker, byte[] envelope) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      send(p, 1, "session-store/replica-0", envelope, "validation", PROFILES, 7,
          "capture time 2030-01-01T00:00:00Z is more than maxFutureSkew=5m\nafter the record timestamp", null);
      send(p, 2, "junk/x", "not avro".getBytes(StandardCharsets.UTF_8), "avro", PROFILES, 8, "unknown magic byte", null);
      send(p, 3, "big/y", null, "size", PROFILES, 9, "envelope of 307200 bytes exceeds limit", null);
      send(p, 4, "session-store", new byte[] {1, 2, 3}, "processing",
          "app-instance-reports-by-service-repartition", 11, "stage suspect-lifecycle failed unexpectedly",
          "suspect-lifecycle");
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> p, int second, String key, byte[] value, String stage,
      String sourceTopic, long sourceOffset, String reason, String node) throws Exception {
    RecordHeaders h = new RecordHeaders();
    h.add("traceparent", TRACE);
    h.add(DeadLetter.REASON, utf8(reason));
    h.add(DeadLetter.ERROR_CLASS, utf8("x.Failure"));
    h.add(DeadLetter.STAGE, utf8(stage));
    h.add(DeadLetter.SOURCE_TOPIC, utf8(sourceTopic));
    h.add(DeadLetter.SOURCE_PARTITION, utf8("0"));
    h.add(DeadLetter.SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
    h.add(DeadLetter.SOURCE_TIMESTAMP, utf8(Long.toString(SOURCE_TIME + sourceOffset)));
    if (node != null) {
      h.add(ProcessingFailureHandler.NODE, utf8(node));
    }
    p.send(new ProducerRecord<>(DLQ, 0, SOURCE_TIME + second * 1000L, utf8(key), value, h)).get();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldPrintOneLinePerDeadLetterWithStageSourceSizeAndWholeReasonAndFilterByStage() throws Exception {
    byte[] envelope = recordedEnvelope();
    try (TestBroker broker = TestBroker.start()) {
      broker.createTopic(DLQ, 1);
      writeLetters(broker, envelope);

      int code = cli.run("dead-letters", "--bootstrap-servers", broker.bootstrapServers(), "--topic", DLQ,
          "--from-beginning", "--max", "4");

      assertEquals(0, code, cli.err());
      assertEquals(List.of(
          "2023-11-14T22:13:21.123Z key=session-store/replica-0 stage=validation source=profiles.test/0@7 "
              + envelope.length + " bytes reason: capture time 2030-01-01T00:00:00Z is more than maxFutureSkew=5m"
              + " after the record timestamp",
          "2023-11-14T22:13:22.123Z key=junk/x stage=avro source=profiles.test/0@8 8 bytes reason: unknown magic byte",
          "2023-11-14T22:13:23.123Z key=big/y stage=size source=profiles.test/0@9 no value reason: envelope of"
              + " 307200 bytes exceeds limit",
          "2023-11-14T22:13:24.123Z key=session-store stage=processing node=suspect-lifecycle"
              + " source=app-instance-reports-by-service-repartition/0@11 3 bytes reason: stage suspect-lifecycle"
              + " failed unexpectedly"), cli.out().lines().toList());

      CliRun filtered = new CliRun();
      assertEquals(0, filtered.run("dead-letters", "--bootstrap-servers", broker.bootstrapServers(), "--topic", DLQ,
          "--from-beginning", "--stage", "avro,processing", "--max", "2"), filtered.err());
      List<String> lines = filtered.out().lines().toList();
      assertEquals(2, lines.size(), filtered.out());
      assertTrue(lines.get(0).contains(" stage=avro ") && lines.get(1).contains(" stage=processing "), lines.toString());
    }
  }

  @Test
  void shouldListUpToTheEndSeenAtStartAndExitWhenUntilBoundsTheTime() throws Exception {
    byte[] envelope = recordedEnvelope();
    try (TestBroker broker = TestBroker.start()) {
      broker.createTopic(DLQ, 1);
      writeLetters(broker, envelope);
      String third = Instant.ofEpochMilli(SOURCE_TIME + 3000).toString();

      // no --max: without the bound a listing follows until Ctrl-C, and this would never return
      int code = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> cli.run("dead-letters",
          "--bootstrap-servers", broker.bootstrapServers(), "--topic", DLQ, "--from-beginning", "--until", third));

      assertEquals(0, code, cli.err());
      List<String> lines = cli.out().lines().toList();
      assertEquals(2, lines.size(), cli.out());
      assertTrue(lines.get(0).contains(" stage=validation ") && lines.get(1).contains(" stage=avro "), lines.toString());
    }
  }

  @Test
  void shouldRedriveOnlyLettersHoldingAnInputWithOriginalKeyTimestampAndHeadersAndCountTheSkipped()
      throws Exception {
    byte[] envelope = recordedEnvelope();
    try (TestBroker broker = TestBroker.start()) {
      broker.createTopic(DLQ, 1);
      broker.createTopic(PROFILES, 1);
      writeLetters(broker, envelope);

      int code = cli.run("dead-letters", "--bootstrap-servers", broker.bootstrapServers(), "--topic", DLQ,
          "--redrive", "--from-beginning", "--to", PROFILES);

      assertEquals(0, code, cli.err());
      assertEquals("dead-letters: read 4, selected 4, redriven 2 to profiles.test, skipped 2 (1 stage processing of"
          + " a per-service stage: holds the repartitioned report, not an input; 1 stage size: no value (over the"
          + " size limit; the input stays at its source offset)); next --from-offset 0:4", cli.out().trim());
      List<ConsumerRecord<byte[], byte[]>> redriven = readAll(broker, PROFILES);
      assertEquals(2, redriven.size());
      assertRedriven(redriven.get(0), "session-store/replica-0", envelope, SOURCE_TIME + 7);
      assertRedriven(redriven.get(1), "junk/x", utf8("not avro"), SOURCE_TIME + 8);

      // a later run from where this one stopped takes nothing again
      CliRun again = new CliRun();
      assertEquals(0, again.run("dead-letters", "--bootstrap-servers", broker.bootstrapServers(), "--topic", DLQ,
          "--redrive", "--from-offset", "0:4", "--to", PROFILES), again.err());
      assertEquals("dead-letters: read 0, selected 0, redriven 0 to profiles.test, skipped 0; next --from-offset 0:4",
          again.out().trim());
      assertEquals(2, readAll(broker, PROFILES).size());
    }
  }

  @Test
  void shouldRedriveOnlyTheSelectedStagesWithinTheTimeBoundsAndSayWhereToResumeAfterMax() throws Exception {
    byte[] envelope = recordedEnvelope();
    try (TestBroker broker = TestBroker.start()) {
      broker.createTopic(DLQ, 1);
      broker.createTopic(PROFILES, 1);
      writeLetters(broker, envelope);
      String second = Instant.ofEpochMilli(SOURCE_TIME + 2000).toString();
      String fourth = Instant.ofEpochMilli(SOURCE_TIME + 4000).toString();

      // letters 2..4 read (from --since), of which avro (2) and size (3) are before --until; size has no value
      int code = cli.run("dead-letters", "--bootstrap-servers", broker.bootstrapServers(), "--topic", DLQ,
          "--redrive", "--since", second, "--until", fourth, "--stage", "avro,size,processing", "--to", PROFILES);

      assertEquals(0, code, cli.err());
      assertEquals("dead-letters: read 3, selected 2, redriven 1 to profiles.test, skipped 1 (1 stage size: no value"
          + " (over the size limit; the input stays at its source offset)); next --from-offset 0:4", cli.out().trim());
      List<ConsumerRecord<byte[], byte[]>> redriven = readAll(broker, PROFILES);
      assertEquals(1, redriven.size());
      assertRedriven(redriven.get(0), "junk/x", utf8("not avro"), SOURCE_TIME + 8);

      // --max stops after the first selected letter and says where the next run starts
      CliRun first = new CliRun();
      assertEquals(0, first.run("dead-letters", "--bootstrap-servers", broker.bootstrapServers(), "--topic", DLQ,
          "--redrive", "--from-offset", "0", "--max", "1", "--to", PROFILES), first.err());
      assertEquals("dead-letters: read 1, selected 1, redriven 1 to profiles.test, skipped 0; next --from-offset 0:1",
          first.out().trim());
      assertRedriven(readAll(broker, PROFILES).get(1), "session-store/replica-0", envelope, SOURCE_TIME + 7);
    }
  }

  @Test
  void shouldExitWith2WhenRedriveIsNotToldWhereToStart() {
    int code = cli.run("dead-letters", "--bootstrap-servers", "127.0.0.1:1", "--redrive", "--to", "leakwatch.profiles");

    assertEquals(2, code);
    assertEquals("dead-letters: --redrive needs where to start: --from-beginning, --from-offset or --since",
        cli.err().trim());
  }

  private static void assertRedriven(ConsumerRecord<byte[], byte[]> r, String key, byte[] value, long timestamp) {
    assertEquals(key, new String(r.key(), StandardCharsets.UTF_8));
    assertArrayEquals(value, r.value());
    assertEquals(timestamp, r.timestamp());
    List<String> keys = new ArrayList<>();
    for (Header h : r.headers()) {
      keys.add(h.key());
    }
    assertEquals(List.of("traceparent"), keys, "only the input's own headers");
    assertArrayEquals(TRACE, r.headers().lastHeader("traceparent").value());
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(TestBroker broker, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition p = new TopicPartition(topic, 0);
      c.assign(List.of(p));
      c.seekToBeginning(List.of(p));
      long end = c.endOffsets(List.of(p)).get(p);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      while (c.position(p) < end) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  @Test
  void shouldExitWith2SayingThereIsNoDefaultWhenRedriveHasNoTarget() {
    int code = cli.run("dead-letters", "--bootstrap-servers", "127.0.0.1:1", "--redrive", "--from-beginning");

    assertEquals(2, code);
    assertEquals("dead-letters: --redrive needs --to TOPIC, the input topic to publish to (normally"
        + " leakwatch.profiles); it has no default", cli.err().trim());
    assertEquals("", cli.out());
  }

  @Test
  void shouldExitWith2NamingTheServersWhenKafkaCannotBeReached() {
    String nowhere = TestConfigs.unreachableBootstrap();

    int code = cli.run("dead-letters", "--bootstrap-servers", nowhere, "--connect-timeout", "1s", "--max", "1");

    assertEquals(2, code, cli.err());
    assertEquals("dead-letters: cannot reach Kafka at " + nowhere + " within 1s", cli.err().trim());
  }
}
