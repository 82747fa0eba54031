package dev.leakwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.EvidencePoint;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.avro.StackFrame;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions.TimestampMillisConversion;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.RawMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroClassTrustTest {

  private static final List<Class<?>> GENERATED = List.of(ProfileEnvelope.class, ProfileType.class,
      IngestSource.class, LeakSuspect.class, StackFrame.class, EvidencePoint.class,
      SuspectKind.class, SuspectStatus.class);

  private ClassSecurityPredicate original;

  @BeforeEach
  void resetAvroToItsDefaultAllowList() {
    original = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT);
  }

  @AfterEach
  void restoreTheGlobalAllowList() {
    ClassSecurityValidator.setGlobal(original);
  }

  /** Decodes with a fresh model, so no class cache from earlier tests hides Avro's check. */
  private static Object decodeWithFreshModel(ProfileEnvelope envelope) throws IOException {
    Schema schema = ProfileEnvelope.getClassSchema();
    byte[] body = new RawMessageEncoder<ProfileEnvelope>(
        SpecificData.getForClass(ProfileEnvelope.class), schema).encode(envelope).array();
    SpecificData fresh = new SpecificData();
    fresh.addLogicalTypeConversion(new TimestampMillisConversion());
    return new SpecificDatumReader<>(schema, schema, fresh)
        .read(null, DecoderFactory.get().binaryDecoder(body, null));
  }

  @Test
  void shouldBeRefusedByAvrosDefaultAllowList() {
    assertThrows(SecurityException.class, () -> decodeWithFreshModel(TestRecords.envelope()));
  }

  @Test
  void shouldTrustEveryGeneratedClassOnceADeserializerIsCreated() throws IOException {
    new SpecificAvroDeserializer<>(ProfileEnvelope.class).close();

    for (Class<?> generated : GENERATED) {
      assertTrue(ClassSecurityValidator.getGlobal().isTrusted(generated), generated.getName());
    }
    assertEquals(TestRecords.envelope(), decodeWithFreshModel(TestRecords.envelope()));
  }

  @Test
  void shouldTrustTheGeneratedPackageOnceASerializerIsCreated() {
    new SpecificAvroSerializer<ProfileEnvelope>().close();

    assertTrue(ClassSecurityValidator.getGlobal().isTrusted(StackFrame.class));
  }

  @Test
  void shouldKeepTrustingWhatWasTrustedBeforeAndNothingMore() {
    ClassSecurityPredicate custom = type -> type == UUID.class;
    ClassSecurityValidator.setGlobal(custom);

    AvroClassTrust.ensureTrusted();

    ClassSecurityPredicate widened = ClassSecurityValidator.getGlobal();
    assertTrue(widened.isTrusted(UUID.class));
    assertTrue(widened.isTrusted(LeakSuspect.class));
    assertFalse(widened.isTrusted(AvroClassTrustTest.class));
  }

  @Test
  void shouldNotStackPredicatesWhenCalledRepeatedly() {
    AvroClassTrust.ensureTrusted();
    ClassSecurityPredicate once = ClassSecurityValidator.getGlobal();

    AvroClassTrust.ensureTrusted();

    assertSame(once, ClassSecurityValidator.getGlobal());
  }
}
