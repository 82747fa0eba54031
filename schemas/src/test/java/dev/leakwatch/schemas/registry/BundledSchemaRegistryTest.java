package dev.leakwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class BundledSchemaRegistryTest {

  private static final String SUBJECT = "leakwatch.profiles-value";

  @Test
  void shouldNameSchemasByTheirParsingFormFingerprint() {
    BundledSchemaRegistry registry = new BundledSchemaRegistry();
    Schema schema = ProfileEnvelope.getClassSchema();

    long id = registry.register(SUBJECT, schema);

    assertEquals(SchemaNormalization.parsingFingerprint64(schema), id);
    assertEquals(id, SchemaNormalization.parsingFingerprint64(registry.schemaById(id)));
  }

  @Test
  void shouldKnowEveryReleasedVersionWithoutRegistering() {
    BundledSchemaRegistry registry = new BundledSchemaRegistry();
    registry.addCurrentAndHistory(ProfileEnvelope.getClassSchema());

    for (Schema released : SchemaHistory.load(ProfileEnvelope.getClassSchema().getFullName(),
        getClass().getClassLoader())) {
      long fingerprint = SchemaNormalization.parsingFingerprint64(released);
      assertEquals(fingerprint,
          SchemaNormalization.parsingFingerprint64(registry.schemaById(fingerprint)));
      assertEquals(fingerprint, registry.lookup(SUBJECT, released));
    }
  }

  @Test
  void shouldRefuseLookupOfAnUnreleasedSchema() {
    Schema unreleased = SchemaBuilder.record("Scratch").namespace("dev.leakwatch.test").fields()
        .requiredString("note").endRecord();

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> new BundledSchemaRegistry().lookup(SUBJECT, unreleased));

    assertTrue(error.getMessage().contains("dev.leakwatch.test.Scratch"), error.getMessage());
    assertTrue(error.getMessage().contains("auto.register.schemas is false"), error.getMessage());
  }

  @Test
  void shouldNameTheUnknownFingerprintInHex() {
    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> new BundledSchemaRegistry().schemaById(0x0123456789abcdefL));

    assertTrue(error.getMessage().startsWith("unknown schema fingerprint 0x0123456789abcdef"),
        error.getMessage());
  }
}
