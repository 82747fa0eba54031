package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.registry.FakeConfluentRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One serde shared by several threads that all start on an empty cache at once, as the stream
 * threads of one processor do: every thread gets the same schema id and decodes every record; the
 * registry is asked at most once per thread (loads of one key are not coalesced, see BoundedCache),
 * and once the first answers are cached, never again.
 */
class ConcurrentFirstUseTest {

  private static final int THREADS = 8;

  @RegisterExtension
  final FakeConfluentRegistry fake = new FakeConfluentRegistry();

  @Test
  void shouldGiveEveryThreadTheSameIdAndStopAskingOnceCached() throws Exception {
    ProfileEnvelope envelope = TestRecords.envelope();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (Serde<ProfileEnvelope> producerSide =
            LeakwatchSerdes.profileEnvelope(Map.of(RegistryConfig.URL, fake.url()), false);
        Serde<ProfileEnvelope> consumerSide =
            LeakwatchSerdes.profileEnvelope(Map.of(RegistryConfig.URL, fake.url()), false)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<byte[]>> written = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        written.add(pool.submit(() -> {
          start.await();
          byte[] bytes = producerSide.serializer().serialize(PROFILES_TOPIC, envelope);
          assertEquals(envelope, consumerSide.deserializer().deserialize(PROFILES_TOPIC, bytes));
          return bytes;
        }));
      }
      start.countDown();
      byte[] first = written.get(0).get();
      for (Future<byte[]> other : written) {
        assertArrayEquals(first, other.get(), "every thread framed the same schema id");
      }
      int asked = fake.requests().size();
      assertTrue(asked >= 2 && asked <= 2 * THREADS, "at most one register and one fetch per thread, "
          + "got " + asked);

      for (int i = 0; i < 100; i++) {
        consumerSide.deserializer().deserialize(PROFILES_TOPIC,
            producerSide.serializer().serialize(PROFILES_TOPIC, envelope));
      }
      assertEquals(asked, fake.requests().size(), "cached: no registry call per record");
    } finally {
      pool.shutdownNow();
    }
  }
}
