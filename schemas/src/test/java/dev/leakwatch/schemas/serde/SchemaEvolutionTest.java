package dev.leakwatch.schemas.serde;

import static dev.leakwatch.schemas.serde.TestRecords.PROFILES_TOPIC;
import static dev.leakwatch.schemas.serde.TestRecords.SUSPECTS_TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.registry.BundledSchemaRegistry;
import dev.leakwatch.schemas.registry.FakeConfluentRegistry;
import dev.leakwatch.schemas.registry.RegistryConfig;
import dev.leakwatch.schemas.registry.SchemaHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.RawMessageDecoder;
import org.apache.avro.message.RawMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The BACKWARD rule: the current reader reads every older writer, filling new fields' defaults. */
class SchemaEvolutionTest {

  private static final List<Schema> CURRENT =
      List.of(ProfileEnvelope.getClassSchema(), LeakSuspect.getClassSchema());
  private static final Path HISTORY_SOURCES = Path.of("src", "main", "resources", SchemaHistory.ROOT);

  @RegisterExtension
  final FakeConfluentRegistry fake = new FakeConfluentRegistry();

  /** Every (current, older) pair: released versions from the jar plus the test-only v0 schemas. */
  static Stream<Arguments> currentAndOlder() {
    List<Arguments> pairs = new ArrayList<>();
    for (Schema current : CURRENT) {
      List<Schema> history = SchemaHistory.load(current.getFullName(),
          SchemaEvolutionTest.class.getClassLoader());
      assertTrue(history.size() >= 1, "no released version of " + current.getName());
      for (int v = 0; v < history.size(); v++) {
        pairs.add(Arguments.of(current.getName() + " v" + (v + 1), current, history.get(v)));
      }
      pairs.add(Arguments.of(current.getName() + " test v0", current,
          TestRecords.schemaResource("old-schemas/" + current.getName() + "-v0.avsc")));
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentAndOlder")
  void shouldReadEveryOlderVersionWithTheCurrentSchema(String label, Schema current, Schema older) {
    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(current, older);

    assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(), () -> label + ": "
        + result.getResult().getIncompatibilities().stream()
            .map(i -> i.getType() + " at " + i.getLocation()).collect(Collectors.joining("; ")));
  }

  @Test
  void shouldNumberTheReleasedVersionsWithoutGaps() throws IOException {
    assumeTrue(Files.isDirectory(HISTORY_SOURCES), "runs from the schemas module directory");
    for (Schema current : CURRENT) {
      try (Stream<Path> files = Files.list(HISTORY_SOURCES.resolve(current.getName()))) {
        long onDisk = files.filter(p -> p.getFileName().toString().endsWith(".avsc")).count();
        int loaded = SchemaHistory.load(current.getFullName(), getClass().getClassLoader()).size();

        assertEquals(onDisk, loaded, "files under " + SchemaHistory.ROOT + "/" + current.getName()
            + " must be v1.avsc, v2.avsc, ... without gaps");
      }
    }
  }

  /**
   * Released versions as released: the parsing-canonical-form fingerprints of the history files
   * (docs do not count), in version order. A single-object record names its writer schema by this
   * fingerprint, so a history file edited after its release would leave that release's records
   * unreadable. Add a fingerprint here when adding a history file; never change one.
   * ProfileEnvelope v1 and LeakSuspect v1 are the schemas of the first commit (edda199) through
   * release 4a25fec.
   */
  @Test
  void shouldKeepEveryReleasedVersionAsItWasReleased() {
    Map<String, List<String>> released = Map.of(
        ProfileEnvelope.getClassSchema().getFullName(), List.of("cb0ab6a1d29c8aa0"),
        LeakSuspect.getClassSchema().getFullName(), List.of("dbcf6937b7972fba", "dbb7693021bd6208"));
    for (Schema current : CURRENT) {
      List<String> history = SchemaHistory.load(current.getFullName(), getClass().getClassLoader()).stream()
          .map(s -> Long.toHexString(SchemaNormalization.parsingFingerprint64(s))).toList();

      assertEquals(released.get(current.getFullName()), history, current.getName() + " history fingerprints");
    }
  }

  @Test
  void shouldFlagRemovalOfAFieldWithoutDefaultAsIncompatible() {
    Schema current = ProfileEnvelope.getClassSchema();
    Schema withoutInstance = withoutField(current, "instance");

    SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(current, withoutInstance);

    assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
    assertEquals(SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE,
        result.getResult().getIncompatibilities().get(0).getType());
  }

  @Test
  void shouldRejectRecordsFromAnIncompatibleWriterNamingTheField() {
    Schema withoutInstance = withoutField(ProfileEnvelope.getClassSchema(), "instance");
    GenericRecord old = downgrade(TestRecords.envelope(), withoutInstance);
    byte[] bytes = confluentFramed(fake.preRegister(PROFILES_TOPIC + "-value", withoutInstance),
        withoutInstance, old);

    try (Serde<ProfileEnvelope> serde = LeakwatchSerdes.profileEnvelope(registry(), false)) {
      SerializationException error = assertThrows(SerializationException.class,
          () -> serde.deserializer().deserialize(PROFILES_TOPIC, bytes));

      assertTrue(error.getMessage().contains(
          "READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1 (instance)"), error.getMessage());
    }
  }

  static Stream<Arguments> oldRecords() {
    ProfileEnvelope envelope = TestRecords.envelope();
    ProfileEnvelope envelopeWithDefaults = ProfileEnvelope.newBuilder(envelope)
        .setLabels(Map.of()).setMemoryLimitBytes(null).setAgent(null).build();
    LeakSuspect suspect = TestRecords.suspect();
    LeakSuspect suspectWithDefaults = LeakSuspect.newBuilder(suspect)
        .setProjectedExhaustion(null).setMemoryLimitBytes(null).build();
    return Stream.of(
        Arguments.of(PROFILES_TOPIC, envelope, envelopeWithDefaults),
        Arguments.of(SUSPECTS_TOPIC, suspect, suspectWithDefaults));
  }

  @ParameterizedTest
  @MethodSource("oldRecords")
  <T extends SpecificRecord> void shouldFillDefaultsForSingleObjectRecordsOfAnOlderRelease(
      String topic, T record, T expected) throws IOException {
    Schema v0 = TestRecords.schemaResource("old-schemas/" + record.getSchema().getName() + "-v0.avsc");
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0)
        .encode(downgrade(record, v0)).array();
    BundledSchemaRegistry bundleOfThatRelease = new BundledSchemaRegistry();
    bundleOfThatRelease.addSchema(v0);

    try (Deserializer<T> deserializer =
        new SpecificAvroDeserializer<>(typeOf(record), bundleOfThatRelease)) {
      deserializer.configure(Map.of(), false);

      assertEquals(expected, deserializer.deserialize(topic, bytes));
    }
  }

  @ParameterizedTest
  @MethodSource("oldRecords")
  <T extends SpecificRecord> void shouldFillDefaultsForConfluentRecordsOfAnOlderRelease(
      String topic, T record, T expected) {
    Schema v0 = TestRecords.schemaResource("old-schemas/" + record.getSchema().getName() + "-v0.avsc");
    byte[] bytes = confluentFramed(fake.preRegister(topic + "-value", v0), v0, downgrade(record, v0));

    try (Serde<T> serde = LeakwatchSerdes.forClass(typeOf(record), registry(), false)) {
      assertEquals(expected, serde.deserializer().deserialize(topic, bytes));
    }
  }

  @Test
  void shouldMapAnEnumSymbolTheReaderLacksToTheEnumDefault() throws IOException {
    // A newer writer with a symbol this reader does not know, placed first so that its index (0)
    // is HEAP's index in the reader: only resolution by name yields UNKNOWN.
    Schema newer = new Schema.Parser().parse(LeakSuspect.getClassSchema().toString().replace(
        "\"symbols\":[\"HEAP\",\"GOROUTINE\",\"UNKNOWN\"]",
        "\"symbols\":[\"THREAD\",\"HEAP\",\"GOROUTINE\",\"UNKNOWN\"]"));
    assertEquals(0, newer.getField("kind").schema().getEnumOrdinal("THREAD"));
    LeakSuspect heapSuspect = TestRecords.suspect();
    byte[] body = new RawMessageEncoder<LeakSuspect>(SpecificData.getForClass(LeakSuspect.class),
        LeakSuspect.getClassSchema()).encode(heapSuspect).array();
    byte[] bytes = withConfluentHeader(fake.preRegister(SUSPECTS_TOPIC + "-value", newer), body);

    try (Serde<LeakSuspect> serde = LeakwatchSerdes.leakSuspect(registry(), false)) {
      assertEquals(SuspectKind.UNKNOWN,
          serde.deserializer().deserialize(SUSPECTS_TOPIC, bytes).getKind());
    }
  }

  @Test
  void shouldReadARecordOfANewerWriterThatAddedAFieldWithADefault() throws IOException {
    Schema current = LeakSuspect.getClassSchema();
    Schema newer = TestRecords.withField(current,
        new Schema.Field("team", Schema.create(Schema.Type.STRING), "owning team", ""));
    GenericRecord written = new GenericData.Record(newer);
    LeakSuspect suspect = TestRecords.suspect();
    current.getFields().forEach(f -> written.put(f.name(), suspect.get(f.pos())));
    written.put("team", "payments");
    byte[] body = new RawMessageEncoder<GenericRecord>(SpecificData.getForClass(LeakSuspect.class),
        newer).encode(written).array();
    byte[] bytes = withConfluentHeader(fake.preRegister(SUSPECTS_TOPIC + "-value", newer), body);

    try (Serde<LeakSuspect> serde = LeakwatchSerdes.leakSuspect(registry(), false)) {
      assertEquals(suspect, serde.deserializer().deserialize(SUSPECTS_TOPIC, bytes),
          "the field this reader lacks is skipped, every other field read");
    }
  }

  private Map<String, Object> registry() {
    return Map.of(RegistryConfig.URL, fake.url());
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> Class<T> typeOf(T record) {
    return (Class<T>) record.getClass();
  }

  /** The record as a producer of an older release wrote it: Avro resolution drops newer fields. */
  private static GenericRecord downgrade(SpecificRecord record, Schema older) {
    try {
      byte[] current = new RawMessageEncoder<SpecificRecord>(
          SpecificData.getForClass(record.getClass()), record.getSchema()).encode(record).array();
      return new RawMessageDecoder<GenericRecord>(GenericData.get(), record.getSchema(), older)
          .decode(current);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] confluentFramed(int id, Schema writer, GenericRecord record) {
    try {
      return withConfluentHeader(id,
          new RawMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record).array());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] withConfluentHeader(int id, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
  }

  private static Schema withoutField(Schema schema, String dropped) {
    List<Schema.Field> fields = schema.getFields().stream()
        .filter(f -> !f.name().equals(dropped))
        .map(f -> new Schema.Field(f, f.schema()))
        .toList();
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false,
        fields);
  }
}
