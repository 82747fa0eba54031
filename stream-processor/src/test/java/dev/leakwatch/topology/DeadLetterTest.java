package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.series.InstanceSeries;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecodeException;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.pprof.Sample;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Input that cannot be used goes to the dead-letter topic with its original bytes and precise
 * headers, and the pipeline carries on with the next good profile.
 */
class DeadLetterTest {

  private static final String SERVICE = "session-store";
  private static final long T0 = 1_795_000_000_000L;

  @TempDir Path temp;
  private TopologyHarness harness;
  private CorpusScenario.Capture heap;

  @BeforeEach
  void setUp() {
    heap = Fixtures.captures(Fixtures.scenario("G"), c -> c.type().equals("heap")).get(0);
    harness = TopologyHarness.create(TopologyConfig.defaults().withLimits(
        TopologyConfig.defaults().decodeLimits(), 256 * 1024, TopologyConfig.defaults().maxFutureSkew()), temp);
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void shouldDeadLetterGarbageEnvelopeWithOriginalBytesAndAvroStage() {
    byte[] key = "session-store/replica-0".getBytes(StandardCharsets.UTF_8);
    byte[] garbage = "this is not avro at all".getBytes(StandardCharsets.UTF_8);
    harness.pipeRaw(key, garbage, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertArrayEquals(key, dead.key());
    assertArrayEquals(garbage, dead.value());
    assertEquals("avro", header(dead.headers(), DeadLetter.STAGE));
    assertEquals(SerializationException.class.getName(), header(dead.headers(), DeadLetter.ERROR_CLASS));
    assertEquals(harness.config.profilesTopic(), header(dead.headers(), DeadLetter.SOURCE_TOPIC));
    assertEquals("0", header(dead.headers(), DeadLetter.SOURCE_PARTITION));
    assertNotNull(header(dead.headers(), DeadLetter.SOURCE_OFFSET), "where to find it");
    assertEquals(Long.toString(T0), header(dead.headers(), DeadLetter.SOURCE_TIMESTAMP));
    assertTrue(header(dead.headers(), DeadLetter.REASON).length() > 10, "reason says what was wrong");
    assertGoodProfileStillProcessed(1);
  }

  @Test
  void shouldDeadLetterTruncatedPprofWithDecoderReason() {
    ProfileEnvelope e = Fixtures.envelope(SERVICE, heap, T0);
    byte[] full = e.getProfile().array();
    e.setProfile(ByteBuffer.wrap(Arrays.copyOf(full, full.length / 2)));
    byte[] value = harness.serialize(e);
    harness.pipeRaw(key(heap), value, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertArrayEquals(value, dead.value(), "original bytes, unchanged");
    assertEquals("pprof", header(dead.headers(), DeadLetter.STAGE));
    assertEquals(ProfileDecodeException.class.getName(), header(dead.headers(), DeadLetter.ERROR_CLASS));
    assertTrue(header(dead.headers(), DeadLetter.REASON).toLowerCase().contains("gzip"),
        header(dead.headers(), DeadLetter.REASON));
    assertGoodProfileStillProcessed(1);
  }

  /**
   * Sample values are int64 and a push can carry any: two samples of one site whose values sum past
   * Long.MAX_VALUE are bad input, not a stream-thread failure that stops the processor at this record
   * again after every restart.
   */
  @Test
  void shouldDeadLetterProfileWhoseSiteValuesOverflowAndGoOnWithTheNextOne() {
    Profile recorded = ProfileDecoder.decode(Fixtures.bytes(heap.file()), DecodeLimits.defaults());
    long[] huge = new long[recorded.sampleTypes().size()];
    Arrays.fill(huge, Long.MAX_VALUE / 2 + 1);
    Sample one = new Sample(huge, recorded.samples().get(0).locations(), Map.of(), Map.of(), Map.of());
    ProfileEnvelope e = Fixtures.envelope(SERVICE, heap, T0);
    e.setProfile(ByteBuffer.wrap(ProfileWriter.write(recorded.toBuilder().samples(List.of(one, one)).build())));
    byte[] value = harness.serialize(e);
    harness.pipeRaw(key(heap), value, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertArrayEquals(value, dead.value(), "original bytes, unchanged");
    assertEquals("pprof", header(dead.headers(), DeadLetter.STAGE));
    assertGoodProfileStillProcessed(1);
  }

  @Test
  void shouldDeadLetterOversizedEnvelopeNamingTheLimitWithoutItsValue() {
    byte[] huge = new byte[300 * 1024];
    harness.pipeRaw(key(heap), huge, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    // bounded only by the input topic, it could be too large for the dead-letter topic
    assertNull(dead.value(), "the oversized value stays at its source offset");
    assertArrayEquals(key(heap), dead.key());
    assertEquals("size", header(dead.headers(), DeadLetter.STAGE));
    assertEquals("envelope of 307200 bytes exceeds limit maxEnvelopeBytes=262144; the value is left out of"
        + " this dead letter (see its source offset)", header(dead.headers(), DeadLetter.REASON));
    assertNotNull(header(dead.headers(), DeadLetter.SOURCE_OFFSET), "where to find it");
    assertGoodProfileStillProcessed(1);
  }

  @Test
  void shouldDeadLetterEnvelopeWhoseKeyIsNotItsServiceAndInstance() {
    byte[] value = harness.serialize(Fixtures.envelope(SERVICE, heap, T0));
    harness.pipeRaw("other/instance".getBytes(StandardCharsets.UTF_8), value, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertEquals("validation", header(dead.headers(), DeadLetter.STAGE));
    assertEquals("record key 'other/instance' does not match the envelope's service/instance '"
        + SERVICE + "/" + heap.instance() + "'", header(dead.headers(), DeadLetter.REASON));
    assertGoodProfileStillProcessed(1);
  }

  /**
   * The reason quotes the key; a key of 12 MiB (the input topic takes records of up to 16 MiB) made a
   * 24 MiB dead letter, which the producer refuses, stopping the pipeline at that input. Keys that
   * large are now left out (below); one within the limit is kept, its quote cut.
   */
  @Test
  void shouldDeadLetterAHugeKeyWithinTheRecordRoomQuotingOnlyItsStart() {
    byte[] value = harness.serialize(Fixtures.envelope(SERVICE, heap, T0));
    byte[] key = "k".repeat(DecodeProcessor.MAX_KEY_AND_HEADER_BYTES).getBytes(StandardCharsets.UTF_8);
    harness.pipeRaw(key, value, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    long size = dead.key().length + dead.value().length;
    for (Header h : dead.headers()) {
      size += h.key().length() + h.value().length;
    }
    long room = dev.leakwatch.processor.ProcessorConfig.maxRecordBytes(harness.config);
    String reason = header(dead.headers(), DeadLetter.REASON);
    assertTrue(size <= room, "dead letter of " + size + " bytes, room " + room);
    assertArrayEquals(key, dead.key(), "the key itself is kept");
    assertTrue(reason.startsWith("record key 'kkk") && reason.endsWith(" more characters)"), reason.substring(0, 40));
    assertGoodProfileStillProcessed(1);
  }

  @Test
  void shouldDeadLetterCaptureTimeFarAfterTheRecordTimestamp() {
    long future = T0 + TopologyConfig.defaults().maxFutureSkew().toMillis() + 1;
    harness.pipeRaw(key(heap), harness.serialize(Fixtures.envelope(SERVICE, heap, future)), T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertEquals("validation", header(dead.headers(), DeadLetter.STAGE));
    assertTrue(header(dead.headers(), DeadLetter.REASON).contains("limit maxFutureSkew=300000 ms"),
        header(dead.headers(), DeadLetter.REASON));
    assertGoodProfileStillProcessed(1);
  }

  @Test
  void shouldDeadLetterCaptureFarAheadOfTheProcessorClockSoThatLaterHonestCapturesCount() throws Exception {
    // An agent whose clock is an hour ahead stamps both the capture time and the record timestamp.
    try (TopologyHarness h = new TopologyHarness(TopologyConfig.defaults(), temp.resolve("clock"),
        Instant.ofEpochMilli(T0))) {
      long ahead = T0 + Duration.ofHours(1).toMillis();
      h.pipeAt(SERVICE, heap, ahead);

      TestRecord<byte[], byte[]> dead = single(h.deadLetters());
      assertEquals("validation", header(dead.headers(), DeadLetter.STAGE));
      assertEquals("captureTime " + ahead + " ms is 3600000 ms ahead of the processor's clock (" + T0
          + " ms; is the agent's clock wrong?); limit maxFutureSkew=300000 ms", header(dead.headers(), DeadLetter.REASON));

      // Once the agent's clock is right again, its captures extend the instance's series.
      h.pipeAt(SERVICE, heap, T0 + 1_000);
      KeyValueStore<String, byte[]> series = h.driver.getKeyValueStore(TopologyNames.INSTANCE_SERIES_STORE);
      InstanceSeries s = InstanceSeries.fromBytes(series.get(SERVICE + "/" + heap.instance() + "/HEAP"));
      assertEquals(T0 + 1_000, s.lastTimeMs());
      assertTrue(h.deadLetters().isEmpty());
    }
  }

  @Test
  void shouldAcceptCaptureWithinTheSkewAheadOfTheProcessorClock() throws Exception {
    try (TopologyHarness h = new TopologyHarness(TopologyConfig.defaults(), temp.resolve("clock"),
        Instant.ofEpochMilli(T0))) {
      h.pipeAt(SERVICE, heap, T0 + TopologyConfig.defaults().maxFutureSkew().toMillis());
      assertTrue(h.deadLetters().isEmpty());
      assertEquals(1, h.audit().size());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "dot-dot | .. | replica-0 | service '..' must not be '..'",
      "backslash | a\\b | replica-0 | service 'a\\b' must not contain '\\' at index 1",
      "surrounding blank | ' s' | replica-0 | service ' s' must not start or end with whitespace",
      "bidi override | \u202Etxt | replica-0 | service '\\u202Etxt' contains the format character U+202E (bidi or invisible) at index 0",
      "256 characters | ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss | replica-0 | is longer than 255 characters (256)",
      "dot instance | session-store | . | instance '.' must not be '.'",
  })
  void shouldDeadLetterNamesTheQueryApiWouldRefuseNamingTheProblem(String what, String service, String instance,
      String reason) {
    CorpusScenario.Capture c = new CorpusScenario.Capture(instance, heap.type(), heap.captureMs(), heap.file());
    byte[] value = harness.serialize(Fixtures.envelope(service, c, T0));
    harness.pipeRaw((service + "/" + instance).getBytes(StandardCharsets.UTF_8), value, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertEquals("validation", header(dead.headers(), DeadLetter.STAGE), what);
    assertTrue(header(dead.headers(), DeadLetter.REASON).endsWith(reason), header(dead.headers(), DeadLetter.REASON));
    assertArrayEquals(value, dead.value(), "original bytes, unchanged");
    assertGoodProfileStillProcessed(1);
  }

  @Test
  void shouldDeadLetterServiceNameOfInvalidUtf8() {
    // the service "XX" becomes the overlong encoding C0 AF of '/' inside the Avro bytes
    byte[] value = harness.serialize(Fixtures.envelope("XX", heap, T0));
    int at = indexOf(value, "XX".getBytes(StandardCharsets.US_ASCII));
    value[at] = (byte) 0xC0;
    value[at + 1] = (byte) 0xAF;
    byte[] instanceKey = ("/" + heap.instance()).getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[2 + instanceKey.length];
    key[0] = (byte) 0xC0;
    key[1] = (byte) 0xAF;
    System.arraycopy(instanceKey, 0, key, 2, instanceKey.length);
    harness.pipeRaw(key, value, T0);

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertEquals("validation", header(dead.headers(), DeadLetter.STAGE));
    assertEquals("service '\\uFFFD\\uFFFD' contains U+FFFD, the mark of bytes that were not valid UTF-8, at index 0",
        header(dead.headers(), DeadLetter.REASON));
    assertGoodProfileStillProcessed(1);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  @Test
  void shouldKeepOriginalHeadersOnDeadLetters() {
    Headers original = new RecordHeaders(new Header[] {new RecordHeader("trace", new byte[] {42})});
    harness.pipeRaw(new TestRecord<>(key(heap), new byte[] {1, 2, 3}, original, Instant.ofEpochMilli(T0)));

    TestRecord<byte[], byte[]> dead = single(harness.deadLetters());
    assertArrayEquals(new byte[] {42}, dead.headers().lastHeader("trace").value());
    assertEquals("avro", header(dead.headers(), DeadLetter.STAGE));
  }

  /** A good profile piped after the bad one is audited as processed, with its own offset. */
  private void assertGoodProfileStillProcessed(long expectedOffset) {
    harness.pipe(SERVICE, heap);
    List<TestRecord<String, String>> audit = harness.audit();
    assertEquals(1, audit.size(), "the good profile was processed");
    assertEquals(SERVICE + "/" + heap.instance(), audit.get(0).key());
    assertEquals(harness.config.profilesTopic() + "/0/" + expectedOffset, audit.get(0).value());
    assertTrue(harness.deadLetters().isEmpty(), "the good profile is not dead-lettered");
  }

  private static byte[] key(CorpusScenario.Capture c) {
    return DecodedProfile.instanceKey(SERVICE, c.instance()).getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T single(List<T> list) {
    assertEquals(1, list.size(), "exactly one record: " + list);
    return list.get(0);
  }

  private static String header(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    assertNotNull(h, "header " + key);
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
