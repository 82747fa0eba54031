package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.registry.FakeConfluentRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a schema registry configured, a record whose schema the processor has not read yet needs the
 * registry. When the registry cannot be asked (down, 5xx), the record is not at fault: it must not
 * be dead-lettered (that would lose a good profile for good) but fail the stream thread, so that the
 * restarted processor reads it again. When the registry answers that it does not know the record's
 * schema id, the record is bad input and is dead-lettered as before.
 */
class RegistryOutageTest {

  private static final String SERVICE = "session-store";
  private static final long T0 = 1_795_000_000_000L;

  @TempDir Path temp;
  private final FakeConfluentRegistry registry = new FakeConfluentRegistry();
  private TopologyHarness writer;
  private CorpusScenario.Capture heap;
  private byte[] key;

  @BeforeEach
  void setUp() {
    heap = Fixtures.captures(Fixtures.scenario("G"), c -> c.type().equals("heap")).get(0);
    key = DecodedProfile.instanceKey(SERVICE, heap.instance()).getBytes(StandardCharsets.UTF_8);
    // a harness of its own only to write the Confluent-framed bytes an agent would publish
    // (registering the schema); the processor under test has not read any schema yet
    writer = TopologyHarness.create(config(), temp);
  }

  @AfterEach
  void tearDown() {
    writer.close();
    registry.close();
  }

  private TopologyConfig config() {
    return TopologyConfig.defaults().withSerdeConfig(Map.of(RegistryConfig.URL, registry.url()));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @CsvSource(delimiter = '|', value = {
      "503|{\"error_code\":50301,\"message\":\"service unavailable\"}",
      // an ingress' page for a wrong path: not "schema not found", which would dead-letter every record
      "404|<html><body><h1>404 Not Found</h1><hr>nginx</body></html>"})
  void shouldFailTheThreadWithoutDeadLetteringWhenTheRegistryCannotBeAsked(int status, String answer) {
    byte[] value = writer.serialize(Fixtures.envelope(SERVICE, heap, T0));
    registry.answerEverythingWith(status, answer);
    try (TopologyHarness processor = TopologyHarness.create(config(), temp)) {

      RuntimeException thrown = assertThrows(RuntimeException.class, () -> processor.pipeRaw(key, value, T0));

      assertTrue(causes(thrown, RegistryUnavailableException.class), "failed with " + thrown);
      assertEquals(0, processor.deadLetters().size(), "a good profile was dead-lettered");
      assertEquals(0, processor.audit().size(), "the record was taken as processed");
    }
  }

  @Test
  void shouldProcessTheRecordReadAgainOnceTheRegistryAnswers() {
    byte[] value = writer.serialize(Fixtures.envelope(SERVICE, heap, T0));
    registry.answerEverythingWith(503, "{\"error_code\":50301,\"message\":\"service unavailable\"}");
    try (TopologyHarness down = TopologyHarness.create(config(), temp)) {
      assertThrows(RuntimeException.class, () -> down.pipeRaw(key, value, T0));
    }
    registry.answerEverythingWith(0, null); // back

    try (TopologyHarness restarted = TopologyHarness.create(config(), temp)) {
      restarted.pipeRaw(key, value, T0);

      assertEquals(0, restarted.deadLetters().size());
      assertEquals(1, restarted.audit().size(), "the profile was processed");
    }
  }

  @Test
  void shouldDeadLetterARecordWhoseSchemaIdTheRegistryDoesNotKnow() {
    byte[] value = writer.serialize(Fixtures.envelope(SERVICE, heap, T0));
    value[1] = 0x7f; // schema id 0x7f000001: one the registry never gave out
    try (TopologyHarness processor = TopologyHarness.create(config(), temp)) {

      processor.pipeRaw(key, value, T0);

      List<TestRecord<byte[], byte[]>> dead = processor.deadLetters();
      assertEquals(1, dead.size());
      String reason = new String(dead.get(0).headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8);
      assertTrue(reason.contains("40403") || reason.contains("404"), reason);
    }
  }

  private static boolean causes(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
