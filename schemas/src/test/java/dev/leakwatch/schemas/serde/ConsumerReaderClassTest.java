package dev.leakwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.schemas.avro.LeakSuspect;
import java.util.Map;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A consumer decoding leak-suspect events into a class it generated itself, in its own package
 * ({@code com.example.alerts}, from src/test/avro): Avro's allow-list must not refuse it, and the
 * writer schema of bytes Leakwatch wrote must be found without a registry.
 */
class ConsumerReaderClassTest {

  private ClassSecurityPredicate original;

  @BeforeEach
  void startFromAvrosDefaultAllowList() {
    original = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT);
  }

  @AfterEach
  void restoreTheGlobalAllowList() {
    ClassSecurityValidator.setGlobal(original);
  }

  private static byte[] writtenByLeakwatch(LeakSuspect suspect) {
    try (SpecificAvroSerializer<LeakSuspect> out = new SpecificAvroSerializer<>()) {
      out.configure(Map.of(), false);
      return out.serialize(TestRecords.SUSPECTS_TOPIC, suspect);
    }
  }

  private static void assertSameSuspect(LeakSuspect sent, com.example.alerts.LeakSuspect read) {
    assertEquals(sent.getSuspectId(), read.getSuspectId());
    assertEquals(sent.getService(), read.getService());
    assertEquals(sent.getStatus().name(), read.getStatus().name());
    assertEquals(sent.getSite().getFunction(), read.getSite().getFunction());
    assertEquals(sent.getGrowthRate(), read.getGrowthRate());
  }

  @Test
  void shouldDecodeLeakwatchEventsIntoAReaderClassOfTheConsumersOwnPackage() {
    LeakSuspect sent = TestRecords.suspect();
    byte[] bytes = writtenByLeakwatch(sent);

    try (SpecificAvroDeserializer<com.example.alerts.LeakSuspect> in =
        new SpecificAvroDeserializer<>(com.example.alerts.LeakSuspect.class)) {
      in.configure(Map.of(), false);
      assertSameSuspect(sent, in.deserialize(TestRecords.SUSPECTS_TOPIC, bytes));
    }
  }

  @Test
  void shouldDecodeIntoAReaderClassNamedInTheConfiguration() {
    LeakSuspect sent = TestRecords.suspect();
    byte[] bytes = writtenByLeakwatch(sent);

    try (SpecificAvroDeserializer<com.example.alerts.LeakSuspect> in = new SpecificAvroDeserializer<>()) {
      in.configure(Map.of(SerdeConfig.READER_CLASS, "com.example.alerts.LeakSuspect"), false);
      assertSameSuspect(sent, in.deserialize(TestRecords.SUSPECTS_TOPIC, bytes));
    }
  }
}
