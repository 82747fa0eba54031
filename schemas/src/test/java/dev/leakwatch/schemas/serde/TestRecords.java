package dev.leakwatch.schemas.serde;

import dev.leakwatch.pprof.testing.ProfileFixtures;
import dev.leakwatch.schemas.avro.EvidencePoint;
import dev.leakwatch.schemas.avro.IngestSource;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.avro.StackFrame;
import dev.leakwatch.schemas.avro.SuspectKind;
import dev.leakwatch.schemas.avro.SuspectStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** Realistic records for serde tests; the envelope carries a heap profile recorded from Go. */
final class TestRecords {

  static final String PROFILES_TOPIC = "leakwatch.profiles";
  static final String SUSPECTS_TOPIC = "leakwatch.leak-suspects";

  private TestRecords() {}

  /** @return the bytes of a classpath resource */
  static byte[] resource(String name) {
    try (InputStream in = TestRecords.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return a schema parsed from a classpath resource */
  static Schema schemaResource(String name) {
    return new Schema.Parser().parse(new String(resource(name),
        StandardCharsets.UTF_8));
  }

  /** {@code record}'s schema as a newer writer's, with {@code added} after its fields. */
  static Schema withField(Schema record, Schema.Field added) {
    List<Schema.Field> fields = new ArrayList<>();
    record.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(added);
    return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false,
        fields);
  }

  static ProfileEnvelope envelope() {
    return ProfileEnvelope.newBuilder()
        .setService("checkout-api")
        .setInstance("10.0.3.17:6060")
        .setProfileType(ProfileType.HEAP)
        .setCaptureTime(Instant.parse("2025-03-14T09:26:53.589Z"))
        .setLabels(Map.of("region", "eu-west-1", "version", "1.8.2"))
        .setMemoryLimitBytes(512L * 1024 * 1024)
        .setSource(IngestSource.SCRAPE)
        .setAgent("leakwatch-agent/0.1.0@node-a")
        .setProfile(ByteBuffer.wrap(ProfileFixtures.largestBytes("heap")))
        .build();
  }

  static LeakSuspect suspect() {
    StackFrame site = StackFrame.newBuilder()
        .setFunction("github.com/acme/storefront/internal/session.trackUser")
        .setFile("/src/internal/session/track.go")
        .setLine(57)
        .build();
    StackFrame caller = StackFrame.newBuilder()
        .setFunction("github.com/acme/storefront/internal/session.(*Gateway).ServeHTTP")
        .setFile("/src/internal/session/gateway.go")
        .setLine(112)
        .build();
    return LeakSuspect.newBuilder()
        .setSuspectId("session-gateway/HEAP/3f9c2a7d")
        .setService("session-gateway")
        .setInstances(List.of("replica-0", "replica-1"))
        .setKind(SuspectKind.HEAP)
        .setStatus(SuspectStatus.OPEN)
        .setSite(site)
        .setStack(List.of(site, caller))
        .setWaitReason(null)
        .setGrowthRate(1.38e8)
        .setGrowthUnit("bytes/hour")
        .setCurrentValue(2.4e7)
        .setValueUnit("bytes")
        .setFirstGrowthSeen(Instant.parse("2025-03-14T09:20:00Z"))
        .setDetectedAt(Instant.parse("2025-03-14T09:26:53.589Z"))
        .setStatistic("mann-kendall")
        .setStatisticValue(5.12)
        .setConfidence(0.9999)
        .setEvidence(List.of(
            new EvidencePoint("replica-0", Instant.parse("2025-03-14T09:26:47Z"), 2.31e7),
            new EvidencePoint("replica-0", Instant.parse("2025-03-14T09:26:50Z"), 2.35e7),
            new EvidencePoint("replica-1", Instant.parse("2025-03-14T09:26:53Z"), 2.4e7)))
        .setProjectedExhaustion(Instant.parse("2025-03-14T13:05:00Z"))
        .setMemoryLimitBytes(512L * 1024 * 1024)
        .build();
  }
}
