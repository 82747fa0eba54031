package dev.leakwatch.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.topology.eval.CorpusReader;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A replay against a real broker publishes every capture of the corpus once, as the agent would key it. */
class ReplayPublisherTest {

  private static TestBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** Two scenarios of the project's recorded corpus: a leak (with a process restart) and a healthy one. */
  static List<CorpusScenario> smallCorpus() {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null && Files.isDirectory(Path.of(testdata, "corpus")), "testdata/corpus not available");
    List<CorpusScenario> two = CorpusReader.read(Path.of(testdata, "corpus")).stream()
        .filter(s -> s.service().equals("session-store") || s.service().equals("product-cache")).toList();
    assertEquals(2, two.size());
    return two;
  }

  private static ReplayPublisher.Settings settings(String topic, String bootstrap, boolean createTopic) {
    return new ReplayPublisher.Settings(topic, Map.of("bootstrap.servers", bootstrap, "max.block.ms", "2000"),
        createTopic, 3, 128L << 20, "replay-test", Duration.ofSeconds(30));
  }

  @Test
  void shouldPublishEveryCaptureOnceKeyedLikeTheAgent() throws Exception {
    List<CorpusScenario> corpus = smallCorpus();
    ReplayPlan plan = ReplayPlan.of(corpus);
    long before = System.currentTimeMillis();
    ReplayResult result = new ReplayPublisher(settings("replay.once", broker.bootstrapServers(), true))
        .run(plan, ReplayTiming.asFastAsPossible(), p -> { });
    long after = System.currentTimeMillis();

    long files = corpus.stream().mapToLong(s -> s.captures().size()).sum();
    assertEquals(files, result.total());
    assertTrue(result.complete(), "published " + result.published() + " of " + files);
    assertEquals(0, result.failed());

    List<ConsumerRecord<String, ProfileEnvelope>> records = broker.readAll("replay.once");
    assertEquals(files, records.size(), "each capture once");
    Map<String, Path> byCapture = new HashMap<>();
    for (CorpusScenario s : corpus) {
      for (CorpusScenario.Capture c : s.captures()) {
        byCapture.put(s.service() + "/" + c.instance() + "/" + c.type() + "@" + c.captureMs(), c.file());
      }
    }
    Set<String> seen = new HashSet<>();
    Map<String, Integer> partitionOfKey = new HashMap<>();
    for (ConsumerRecord<String, ProfileEnvelope> r : records) {
      ProfileEnvelope e = r.value();
      assertEquals(new TargetId(e.getService(), e.getInstance()).recordKey(), r.key());
      assertEquals(r.key(), e.getService() + "/" + e.getInstance(), "the agent's key: service/instance");
      assertEquals(IngestSource.REPLAY, e.getSource());
      assertEquals(e.getCaptureTime().toEpochMilli(), r.timestamp(), "record timestamp = capture time");
      assertEquals(128L << 20, e.getMemoryLimitBytes());
      long recorded = e.getCaptureTime().toEpochMilli() - result.shiftMs();
      String id = r.key() + "/" + e.getProfileType().name().toLowerCase() + "@" + recorded;
      assertTrue(seen.add(id), "published twice: " + id);
      Path file = byCapture.get(id);
      assertTrue(file != null, "not a capture of the corpus (recorded spacing lost?): " + id);
      assertArrayEquals(Files.readAllBytes(file), bytes(e.getProfile()), "bytes exactly as recorded: " + id);
      assertEquals(partitionOfKey.computeIfAbsent(r.key(), k -> r.partition()), r.partition(),
          "one instance, one partition");
      assertTrue(e.getCaptureTime().toEpochMilli() <= after, "no capture stamped in the future");
    }
    assertTrue(plan.lastMs() + result.shiftMs() >= before, "the last capture carries the replay's time");
  }

  @Test
  void shouldReportCapturesKafkaNeverAcknowledged() {
    ReplayPlan plan = ReplayPlan.of(smallCorpus());
    ReplayPublisher.Settings unreachable = new ReplayPublisher.Settings("replay.nowhere",
        Map.of("bootstrap.servers", TestConfigs.unreachableBootstrap(), "max.block.ms", "200"),
        false, 1, null, "replay-test", Duration.ofSeconds(1));
    ReplayResult result = new ReplayPublisher(unreachable).run(plan, ReplayTiming.asFastAsPossible(), p -> { });
    assertFalse(result.complete());
    assertEquals(0, result.published());
    assertTrue(result.undelivered() > 0, "offered " + result.offered() + ", failed " + result.failed());
  }

  @Test
  void shouldGiveUpWithinTheDeliveryGraceWhenKafkaNeverAnswersWhileCapturesWait() {
    // more captures than the buffer holds, so the replay has to wait for Kafka to make room
    ReplayPlan.Item one = ReplayPlan.of(smallCorpus()).items().get(0);
    List<ReplayPlan.Item> many = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      many.add(new ReplayPlan.Item(one.target(), one.kind(), one.recordedMs() + i, one.file()));
    }
    ReplayPlan plan = new ReplayPlan(many, List.of());
    ReplayPublisher.Settings unreachable = new ReplayPublisher.Settings("replay.stalled",
        Map.of("bootstrap.servers", TestConfigs.unreachableBootstrap()), false, 1, null, "replay-test",
        Duration.ofSeconds(2));

    ReplayResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> new ReplayPublisher(unreachable).run(plan, ReplayTiming.asFastAsPossible(), p -> { }));

    assertEquals(0, result.published());
    assertTrue(result.offered() < result.total(), "gave up before offering everything: " + result);
    assertTrue(result.stalled(), result.toString());
    assertFalse(result.stopped());
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
