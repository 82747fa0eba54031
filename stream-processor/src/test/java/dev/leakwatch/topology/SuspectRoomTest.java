package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.pprof.ValueType;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's lifecycle state ({@code suspect-lifecycle}) against suspects whose sites are as large as
 * the decoder admits: a goroutine leak profile makes every leaking site a suspect at once, and a site
 * of 1,024 frames with long names takes about a megabyte. The state is written as one record, which
 * must fit the room the processor gives its topics ({@link ProcessorConfig#maxRecordBytes}).
 *
 * <p>The input is built with the project's encoder on a recorded Go goroutine profile (the fixtures), as
 * in {@link RecordRoomTest}: five instances' first captures, each adding six stacks 1,024 frames deep
 * whose function names take 900 bytes (each finding within the report's 1 MiB bound, six within its
 * 6 MiB). Before new suspects were held to the stored bound, the state grew to ~27 MB.
 */
class SuspectRoomTest {

  private static final String SERVICE = "session-store";
  private static final long T0 = 1_795_000_000_000L;
  private static final int CAPTURES = 5;

  @TempDir Path temp;
  private final TopologyConfig config = TopologyConfig.defaults();

  @Test
  void shouldKeepTheLifecycleStateWithinItsBoundWhenManySuspectsCarryHugeSites() {
    CorpusScenario.Capture goroutines = Fixtures.captures(Fixtures.scenario("H"),
        c -> c.type().equals("goroutine") && c.instance().equals("replica-0")).get(20);
    ValueType leak = new ValueType("goroutineleak", "count");
    try (TopologyHarness h = TopologyHarness.create(config, temp)) {
      for (int j = 0; j < CAPTURES; j++) {
        Profile hostile = RecordRoomTest.withStacks(Fixtures.bytes(goroutines.file()), prefix(j), 6, 1024, 900);
        ProfileEnvelope e = Fixtures.envelope(SERVICE, goroutines, T0 + j * 1_000L);
        e.setInstance("replica-" + j);
        e.setProfileType(ProfileType.GOROUTINELEAK);
        e.setProfile(ByteBuffer.wrap(ProfileWriter.write(hostile.toBuilder().sampleTypes(List.of(leak))
            .periodType(leak).build())));
        assertTrue(e.getProfile().remaining() < config.maxEnvelopeBytes(), "within the envelope limit");
        h.pipe(e);
      }
      assertTrue(h.deadLetters().isEmpty(), "every profile is within every decode limit");

      byte[] stored = h.driver.<String, byte[]>getKeyValueStore(TopologyNames.SUSPECT_LIFECYCLE_STORE).get(SERVICE);
      ServiceSuspects state = ServiceSuspects.fromBytes(stored);
      List<LeakSuspect> events = h.suspects();
      List<String> opened = events.stream().filter(s -> s.getStatus() == SuspectStatus.OPEN)
          .map(LeakSuspect::getSuspectId).toList();
      long room = ProcessorConfig.maxRecordBytes(config);
      assertAll(
          () -> assertTrue(stored.length <= ServiceSuspects.MAX_STORED_BYTES && stored.length <= room,
              "lifecycle state of " + stored.length + " bytes, room " + room),
          () -> assertTrue(opened.stream().anyMatch(id -> hostile(events, id, prefix(0))), "the first sites open"),
          () -> assertFalse(events.stream().anyMatch(s -> hostile(events, s.getSuspectId(), prefix(CAPTURES - 1))),
              "the last capture's sites wait for room"),
          () -> assertEquals(opened.size(), new TreeSet<>(opened).size(), "no suspect opened twice"),
          () -> assertEquals(new TreeSet<>(opened), Set.copyOf(state.suspects().keySet()),
              "every suspect that opened is still tracked"));
    }
  }

  private static String prefix(int capture) {
    return "hostile" + capture + ".frame";
  }

  /** True when suspect {@code id}'s events show a stack of functions named with {@code prefix}. */
  private static boolean hostile(List<LeakSuspect> events, String id, String prefix) {
    return events.stream().filter(s -> s.getSuspectId().equals(id))
        .anyMatch(s -> s.getStack().stream().anyMatch(f -> f.getFunction().startsWith(prefix)));
  }
}
