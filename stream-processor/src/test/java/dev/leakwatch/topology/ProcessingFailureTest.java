package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.registry.SchemaRegistryException;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rocksdb.RocksDBException;

/**
 * A stage that throws an exception no check foresaw (a bug some input triggers) dead-letters the
 * record it was processing and the pipeline goes on; a failure of Kafka, the state stores, the disk
 * or the schema registry still stops it, because skipping would lose good data. The failing stage
 * is simulated by an observer that throws, the one stage hook the production builder offers; the
 * profiles are the recorded Go fixtures.
 */
class ProcessingFailureTest {

  private static final String SERVICE = "session-store";

  @TempDir Path temp;

  @Test
  void shouldDeadLetterTheRecordOfAStageThatThrowsAndGoOnWithTheNext() throws IOException {
    List<CorpusScenario.Capture> heap = heapCaptures(3);
    FailingObserver observer = new FailingObserver(2, () -> new IllegalStateException("index 7 out of 5"));
    try (TopologyHarness h = harness(observer)) {
      List<byte[]> values = heap.stream().map(c -> h.serialize(Fixtures.envelope(SERVICE, c, c.captureMs()))).toList();
      for (int i = 0; i < heap.size(); i++) {
        h.pipeRaw(key(heap.get(i)), values.get(i), heap.get(i).captureMs());
      }

      List<TestRecord<byte[], byte[]>> dead = h.deadLetters();
      assertEquals(1, dead.size(), "only the record whose stage threw");
      TestRecord<byte[], byte[]> letter = dead.get(0);
      assertArrayEquals(key(heap.get(1)), letter.key());
      assertArrayEquals(values.get(1), letter.value(), "the input's bytes, unchanged");
      assertEquals("processing", header(letter.headers(), DeadLetter.STAGE));
      assertEquals(TopologyNames.DECODE, header(letter.headers(), ProcessingFailureHandler.NODE));
      assertEquals(IllegalStateException.class.getName(), header(letter.headers(), DeadLetter.ERROR_CLASS));
      assertEquals(h.config.profilesTopic(), header(letter.headers(), DeadLetter.SOURCE_TOPIC));
      assertEquals("1", header(letter.headers(), DeadLetter.SOURCE_OFFSET));
      String reason = header(letter.headers(), DeadLetter.REASON);
      assertTrue(reason.contains(TopologyNames.DECODE) && reason.contains("index 7 out of 5"), reason);

      assertEquals(List.of("0", "2"), h.audit().stream().map(r -> r.value().substring(r.value().lastIndexOf('/') + 1))
          .toList(), "the records before and after it were processed");
      assertTrue(h.storeKeys(TopologyNames.INSTANCE_SERIES_STORE).contains(SERVICE + "/replica-0/HEAP"));
      assertEquals(List.of(TopologyNames.DECODE + " dead-lettered"), observer.failures);
    }
  }

  /**
   * A bug that every record of a fleet triggers (a new Go release's profiles, say) dead-letters each,
   * and each is counted; its stack trace is logged the first time, not once per record (a stack
   * trace of some 60 lines per profile, for every instance every 30 s).
   */
  @Test
  void shouldLogTheStackTraceOnceWhenAStageThrowsForEveryRecord() throws IOException {
    List<CorpusScenario.Capture> heap = heapCaptures(12);
    FailingObserver observer = new FailingObserver(-1, () -> new IllegalStateException("index 7 out of 5"));
    String text;
    try (TopologyHarness h = harness(observer)) {
      text = logged(() -> heap.forEach(c -> h.pipe(SERVICE, c)));
      assertEquals(heap.size(), h.deadLetters().size(), "every record is dead-lettered");
    }
    assertEquals(heap.size(), observer.failures.size(), "and counted");
    assertEquals(1, text.lines().filter(l -> l.startsWith("java.lang.IllegalStateException: index 7 out of 5"))
        .count(), text);
    assertEquals(2, text.lines().filter(l -> !l.startsWith("\t")).count(), "one line and one stack trace: " + text);
  }

  @Test
  void shouldLogTheCountOfRepeatsWhenTheProcessorClosesBeforeTheMinuteIsOver() throws IOException {
    List<CorpusScenario.Capture> heap = heapCaptures(12);
    FailingObserver observer = new FailingObserver(-1, () -> new IllegalStateException("index 7 out of 5"));
    String text = logged(() -> {
      try (TopologyHarness h = harness(observer)) {
        heap.forEach(c -> h.pipe(SERVICE, c));
      }
    });
    List<String> counts = text.lines().filter(l -> l.contains("again,")).toList();
    assertEquals(1, counts.size(), "one count at close: " + counts);
    assertTrue(counts.get(0).contains("stage " + TopologyNames.DECODE + " threw java.lang.IllegalStateException again,"
        + " 11 times since its last line"), counts.get(0));
  }

  private interface Run {
    void run() throws IOException;
  }

  /** What slf4j-simple, which writes to System.err, logged while {@code run} ran. */
  private static String logged(Run run) throws IOException {
    PrintStream stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(stderr);
    }
    return log.toString(StandardCharsets.UTF_8);
  }

  static Stream<Arguments> surroundingsFailures() {
    return Stream.of(
        Arguments.of("a state store", (Supplier<RuntimeException>) () -> new ProcessorStateException("flush failed")),
        Arguments.of("a full disk", (Supplier<RuntimeException>) () ->
            new UncheckedIOException(new IOException("No space left on device"))),
        Arguments.of("RocksDB, wrapped", (Supplier<RuntimeException>) () ->
            new IllegalStateException("put failed", new RocksDBException("IO error"))),
        Arguments.of("the schema registry", (Supplier<RuntimeException>) () -> new RegistryUnavailableException(
            new SourcePosition("t", 0, 0, 0), new SchemaRegistryException("503 from the registry"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("surroundingsFailures")
  void shouldStopWithoutDeadLetteringWhenTheSurroundingsFail(String what, Supplier<RuntimeException> failure)
      throws IOException {
    List<CorpusScenario.Capture> heap = heapCaptures(2);
    FailingObserver observer = new FailingObserver(2, failure);
    try (TopologyHarness h = harness(observer)) {
      h.pipe(SERVICE, heap.get(0));
      assertThrows(StreamsException.class, () -> h.pipe(SERVICE, heap.get(1)));
      assertEquals(List.of(), h.deadLetters(), "a good profile must not be dead-lettered");
      assertEquals(List.of(), observer.failures);
    }
  }

  @Test
  void shouldDeadLetterTheRepartitionedRecordOfAPerServiceStage() {
    ProcessingFailureHandler handler = configured(new FailingObserver(0, null));
    byte[] report = {1, 2, 3};
    Headers original = new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
    ProcessingExceptionHandler.Response response = handler.handleError(
        context("app-instance-reports-by-service-repartition", TopologyNames.SUSPECT_LIFECYCLE, original, report),
        new Record<>(SERVICE, "report", 5L), new ArithmeticException("/ by zero"));

    assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
    var letter = response.deadLetterQueueRecords().get(0);
    assertEquals("leakwatch.profiles.dlq", letter.topic());
    assertArrayEquals(report, letter.value(), "what the stage read: the repartitioned report");
    assertEquals(TopologyNames.SUSPECT_LIFECYCLE, header(letter.headers(), ProcessingFailureHandler.NODE));
    assertEquals("app-instance-reports-by-service-repartition", header(letter.headers(), DeadLetter.SOURCE_TOPIC));
    assertEquals("t-1", header(letter.headers(), "trace"), "original headers kept");
  }

  @Test
  void shouldSkipAPunctuationThatThrowsWithoutADeadLetter() {
    FailingObserver observer = new FailingObserver(0, null);
    ProcessingFailureHandler handler = configured(observer);
    ProcessingExceptionHandler.Response response = handler.handleError(
        context(null, TopologyNames.SUSPECT_LIFECYCLE, new RecordHeaders(), null), null,
        new NullPointerException("state"));

    assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
    assertEquals(List.of(), response.deadLetterQueueRecords());
    assertEquals(List.of(TopologyNames.SUSPECT_LIFECYCLE + " skipped"), observer.failures);
  }

  @Test
  void shouldRefuseToRunWithoutADeadLetterTopic() {
    ProcessingFailureHandler handler = new ProcessingFailureHandler();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> handler.configure(Map.of()));
    assertTrue(e.getMessage().contains(ProcessingFailureHandler.DEAD_LETTER_TOPIC), e.getMessage());
    assertFalse(ProcessingFailureHandler.isProductFailure(new Exception("checked")), "no stage throws checked ones");
  }

  private TopologyHarness harness(TopologyObserver observer) throws IOException {
    return new TopologyHarness(TopologyConfig.defaults(), Files.createTempDirectory(temp, "state"), Instant.now(),
        observer);
  }

  private static List<CorpusScenario.Capture> heapCaptures(int n) {
    return Fixtures.captures(Fixtures.scenario("G"),
        c -> c.instance().equals("replica-0") && c.type().equals("heap")).subList(0, n);
  }

  private static byte[] key(CorpusScenario.Capture c) {
    return DecodedProfile.instanceKey(SERVICE, c.instance()).getBytes(StandardCharsets.UTF_8);
  }

  private static ProcessingFailureHandler configured(TopologyObserver observer) {
    ProcessingFailureHandler handler = new ProcessingFailureHandler();
    handler.configure(LeakwatchTopology.streamsSettings(TopologyConfig.defaults(), observer));
    return handler;
  }

  private static ErrorHandlerContext context(String topic, String node, Headers headers, byte[] rawValue) {
    return new ErrorHandlerContext() {
      @Override public String topic() { return topic; }
      @Override public int partition() { return topic == null ? -1 : 3; }
      @Override public long offset() { return topic == null ? -1 : 41; }
      @Override public Headers headers() { return headers; }
      @Override public String processorNodeId() { return node; }
      @Override public TaskId taskId() { return new TaskId(1, 3); }
      @Override public long timestamp() { return 5L; }
      @Override public byte[] sourceRawKey() { return topic == null ? null : SERVICE.getBytes(StandardCharsets.UTF_8); }
      @Override public byte[] sourceRawValue() { return rawValue; }
    };
  }

  private static String header(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    assertNotNull(h, "header " + key);
    return new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Throws {@code failure} at the {@code failAt}-th decoded profile (1-based; 0: never; -1: every); records failures. */
  private static final class FailingObserver implements TopologyObserver {
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger decoded = new AtomicInteger();
    private final int failAt;
    private final Supplier<RuntimeException> failure;

    FailingObserver(int failAt, Supplier<RuntimeException> failure) {
      this.failAt = failAt;
      this.failure = failure;
    }

    @Override
    public void profileDecoded(String profileType, long decodeNanos) {
      if (decoded.incrementAndGet() == failAt || failAt < 0) {
        throw failure.get();
      }
    }

    @Override
    public void processingFailed(String node, boolean deadLettered) {
      failures.add(node + (deadLettered ? " dead-lettered" : " skipped"));
    }
  }
}
