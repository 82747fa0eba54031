package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input whose key or headers are huge (a broken or hostile producer; the input topic takes records
 * of up to its own limit) is dead-lettered without them: a dead letter that carried them beside a
 * value of up to {@code maxEnvelopeBytes} could pass the record room, be refused by the producer and
 * stop the pipeline at that input, again after every restart.
 */
class OversizedKeyDeadLetterTest {

  private static final String SERVICE = "session-store";
  private static final long T0 = 1_795_000_000_000L;

  @TempDir Path temp;

  @Test
  void shouldDeadLetterARecordWithHugeHeadersWithoutThemAndGoOn() {
    try (TopologyHarness harness = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      CorpusScenario.Capture heap = Fixtures.captures(Fixtures.scenario("G"), c -> c.type().equals("heap")).get(0);
      byte[] value = harness.serialize(Fixtures.envelope(SERVICE, heap, T0));
      RecordHeaders headers = new RecordHeaders();
      long headerBytes = 0;
      for (int i = 0; i < 16; i++) {
        headers.add("h" + i, new byte[1 << 20]); // 16 MiB of headers beside the value
        headerBytes += ("h" + i).length() + (1 << 20);
      }
      byte[] key = DecodedProfile.instanceKey(SERVICE, heap.instance()).getBytes(StandardCharsets.UTF_8);
      harness.pipeRaw(new TestRecord<>(key, value, headers, Instant.ofEpochMilli(T0)));

      List<TestRecord<byte[], byte[]>> dead = harness.deadLetters();
      assertEquals(1, dead.size());
      TestRecord<byte[], byte[]> letter = dead.get(0);
      assertNull(letter.key());
      assertNull(letter.value());
      long size = 0;
      for (Header h : letter.headers()) {
        size += h.key().length() + h.value().length;
      }
      assertTrue(size < 64 << 10, "dead letter headers of " + size + " bytes");
      assertTrue(size < ProcessorConfig.maxRecordBytes(harness.config));
      assertEquals("size", header(letter, DeadLetter.STAGE));
      assertEquals("record key (" + key.length + " bytes) and headers (" + headerBytes + " bytes) exceed limit 524288 bytes;"
          + " key, headers and value are left out of this dead letter (see its source offset)",
          header(letter, DeadLetter.REASON));

      harness.pipeRaw(key, value, T0);
      assertEquals(1, harness.audit().size(), "the same record without the headers is processed");
    }
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
