package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.growth.GrowthFinding;
import dev.leakwatch.pprof.DecodeLimits;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileDecoder;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.pprof.ValueType;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go serves {@code /debug/pprof/goroutineleak} (Go 1.26, GOEXPERIMENT=goroutineleakprofile) in the
 * goroutine profile's format under its own name: sample and period type {@code goroutineleak/count},
 * not {@code goroutine/count}. Go 1.19 has no such endpoint, so a recorded goroutine profile is
 * given the name Go's {@code printCountProfile} writes.
 */
class GoroutineLeakProfileTest {

  private static final String SERVICE = "push-worker";
  private static final long T0 = 1_795_000_000_000L;

  @TempDir Path temp;

  @Test
  void shouldReportTheGoroutinesOfAGoroutineLeakProfileNamedAsGoWritesIt() {
    CorpusScenario.Capture goroutines = Fixtures.captures(Fixtures.scenario("H"),
        c -> c.type().equals("goroutine") && c.instance().equals("replica-0")).get(20);
    Profile recorded = ProfileDecoder.decode(Fixtures.bytes(goroutines.file()), DecodeLimits.defaults());
    ValueType leak = new ValueType("goroutineleak", "count");
    Profile asServed = recorded.toBuilder().sampleTypes(List.of(leak)).periodType(leak).build();
    ProfileEnvelope envelope = Fixtures.envelope(SERVICE, goroutines, T0);
    envelope.setProfileType(ProfileType.GOROUTINELEAK);
    envelope.setProfile(ByteBuffer.wrap(ProfileWriter.write(asServed)));

    List<LeakSuspect> suspects;
    try (TopologyHarness h = TopologyHarness.create(TopologyConfig.defaults(), temp)) {
      h.pipeRaw(DecodedProfile.instanceKey(SERVICE, goroutines.instance()).getBytes(StandardCharsets.UTF_8),
          h.serialize(envelope), T0);
      assertEquals(List.of(), h.deadLetters().stream()
          .map(d -> new String(d.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8)).toList());
      suspects = h.suspects();
    }

    assertFalse(suspects.isEmpty(), "every sample of the profile is a leak by the endpoint's contract");
    for (LeakSuspect s : suspects) {
      assertEquals(SuspectStatus.OPEN, s.getStatus());
      assertEquals(GrowthFinding.GOROUTINE_LEAK_PROFILE, s.getStatistic());
      assertTrue(s.getCurrentValue() > 0);
      assertEquals(Instant.ofEpochMilli(T0), s.getDetectedAt());
    }
  }
}
