package dev.leakwatch.topology;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.lifecycle.ServiceSuspects;
import dev.leakwatch.http.ProcessorMetrics;
import dev.leakwatch.pprof.Profile;
import dev.leakwatch.pprof.ProfileWriter;
import dev.leakwatch.pprof.ValueType;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.ProfileType;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What consumers of {@code leakwatch.leak-suspects} (and the query API, which answers a suspect from
 * its events) see when a service's lifecycle state passes its bound ({@link
 * ServiceSuspects#MAX_STORED_BYTES}) and whole suspects are dropped: an episode that was announced
 * OPEN must end, or its alert never does.
 *
 * <p>Built as {@link SuspectRoomTest} is, on a recorded Go goroutine profile (the fixtures) with the
 * project's encoder: each instance's first goroutine leak capture adds six sites 1,024 frames deep
 * (300-byte function names, ~0.3 MB each stored) until new sites no longer fit; then another build's
 * instance reports the first instance's sites (the same functions: the same suspects) with longer file
 * paths, which the suspects keep as their latest site, and the state passes its bound with every
 * suspect at its floor of instance entries: the latest opened suspects are dropped.
 */
class DroppedSuspectTest {

  private static final String SERVICE = "session-store";
  private static final long T0 = 1_795_000_000_000L;
  private static final int CAPTURES = 8;
  private static final String LONG_PATH = "/" + "build".repeat(120) + "/hostile.go";

  @TempDir Path temp;
  private final TopologyConfig config = TopologyConfig.defaults();

  private final CorpusScenario.Capture goroutines = Fixtures.captures(Fixtures.scenario("H"),
      c -> c.type().equals("goroutine") && c.instance().equals("replica-0")).get(20);
  private final byte[] recorded = Fixtures.bytes(goroutines.file());

  @Test
  void shouldEndEveryDroppedOpenSuspectsEpisodeWhenItsServiceStatePassesItsBound() throws Exception {
    try (ProcessorMetrics metrics = new ProcessorMetrics(); TopologyHarness h = harness(metrics)) {
      List<LeakSuspect> events = fill(h);
      Set<String> opened = ids(events, SuspectStatus.OPEN);
      h.pipe(leakCapture("replica-" + CAPTURES, T0 + CAPTURES * 1_000L, longerPaths()));
      events.addAll(h.suspects());
      assertTrue(h.deadLetters().isEmpty(), "every profile is within every decode limit");

      byte[] stored = h.stored(TopologyNames.SUSPECT_LIFECYCLE_STORE, SERVICE);
      Set<String> dropped = new TreeSet<>(opened);
      dropped.removeAll(ServiceSuspects.fromBytes(stored).suspects().keySet());
      Map<String, SuspectStatus> lastEvent = lastStatus(events);
      Map<String, SuspectStatus> lastInHistory = lastStatusInHistory(h);
      String scrape = metrics.scrape();
      assertAll(
          () -> assertFalse(dropped.isEmpty(), "the longer paths pushed open suspects out of the state"),
          () -> assertTrue(stored.length <= ServiceSuspects.MAX_STORED_BYTES, "state of " + stored.length + " bytes"),
          () -> assertEquals(List.of(), dropped.stream().filter(id -> lastEvent.get(id) != SuspectStatus.RESOLVED)
              .toList(), "dropped open suspects whose last event is not RESOLVED (stuck alerts)"),
          () -> assertEquals(List.of(), dropped.stream()
              .filter(id -> lastInHistory.get(id) != SuspectStatus.RESOLVED).toList(),
              "dropped open suspects the history (what /suspects/{id} answers from) shows open"),
          () -> assertEquals(List.of(), reopenedWithoutEnd(events), "an OPEN following an OPEN of the same id"),
          () -> assertEquals((double) dropped.size(), counter(scrape, "leakwatch_suspects_dropped_total{state=\"open\"}"),
              "open suspects counted as dropped"),
          () -> assertTrue(counter(scrape, "leakwatch_suspect_sites_refused_total") > 0,
              "the sites of the last captures, refused for want of room, are counted"));
    }
  }

  @Test
  void shouldAnnounceNothingOfSuspectsDroppedByTheReportThatOpenedThemWhenTheStatePassesItsBound() throws Exception {
    try (ProcessorMetrics metrics = new ProcessorMetrics(); TopologyHarness h = harness(metrics)) {
      List<LeakSuspect> events = fill(h);
      Set<String> openedBefore = ids(events, SuspectStatus.OPEN);
      // small new sites, which fit the room left, in the report whose longer paths push the state past
      Profile both = RecordRoomTest.withStacks(ProfileWriter.write(longerPaths()), "small.frame", 6, 8, 40);
      h.pipe(leakCapture("replica-" + CAPTURES, T0 + CAPTURES * 1_000L, both));
      List<LeakSuspect> last = h.suspects();
      events.addAll(last);
      assertTrue(h.deadLetters().isEmpty(), "every profile is within every decode limit");

      Set<String> kept = ServiceSuspects.fromBytes(h.stored(TopologyNames.SUSPECT_LIFECYCLE_STORE, SERVICE))
          .suspects().keySet();
      String scrape = metrics.scrape();
      assertAll(
          () -> assertEquals(List.of(), last.stream().filter(e -> !openedBefore.contains(e.getSuspectId()))
              .map(e -> e.getStatus() + " " + e.getSite().getFunction()).toList(),
              "events of suspects the last report opened and the bound dropped"),
          () -> assertFalse(kept.stream().anyMatch(id -> !openedBefore.contains(id)), "the new sites are not kept"),
          () -> assertEquals(6.0, counter(scrape, "leakwatch_suspects_dropped_total{state=\"candidate\"}"),
              "the six new suspects counted as dropped unannounced"),
          () -> assertTrue(counter(scrape, "leakwatch_suspects_dropped_total{state=\"open\"}") > 0,
              "older open suspects dropped too, each ended"),
          () -> assertEquals(List.of(), reopenedWithoutEnd(events), "an OPEN following an OPEN of the same id"));
    }
  }

  private TopologyHarness harness(ProcessorMetrics metrics) throws Exception {
    return new TopologyHarness(config, Files.createTempDirectory(temp, "state"), Instant.ofEpochMilli(T0), metrics);
  }

  /** Each instance's first capture adds six large sites, until the state has no room for more. */
  private List<LeakSuspect> fill(TopologyHarness h) {
    for (int j = 0; j < CAPTURES; j++) {
      h.pipe(leakCapture("replica-" + j, T0 + j * 1_000L, RecordRoomTest.withStacks(recorded, prefix(j), 6, 1024, 300)));
    }
    return new ArrayList<>(h.suspects());
  }

  /** The first instance's sites as another build reports them: the same functions, longer paths. */
  private Profile longerPaths() {
    return RecordRoomTest.withStacks(recorded, prefix(0), 6, 1024, 300, LONG_PATH);
  }

  private ProfileEnvelope leakCapture(String instance, long captureMs, Profile p) {
    ValueType leak = new ValueType("goroutineleak", "count");
    ProfileEnvelope e = Fixtures.envelope(SERVICE, goroutines, captureMs);
    e.setInstance(instance);
    e.setProfileType(ProfileType.GOROUTINELEAK);
    e.setProfile(ByteBuffer.wrap(ProfileWriter.write(p.toBuilder().sampleTypes(List.of(leak)).periodType(leak).build())));
    assertTrue(e.getProfile().remaining() < config.maxEnvelopeBytes(), "within the envelope limit");
    return e;
  }

  private static String prefix(int capture) {
    return "hostile" + capture + ".frame";
  }

  private static Set<String> ids(List<LeakSuspect> events, SuspectStatus status) {
    Set<String> ids = new TreeSet<>();
    events.stream().filter(e -> e.getStatus() == status).forEach(e -> ids.add(e.getSuspectId()));
    return ids;
  }

  private static Map<String, SuspectStatus> lastStatus(List<LeakSuspect> events) {
    Map<String, SuspectStatus> last = new HashMap<>();
    events.forEach(e -> last.put(e.getSuspectId(), e.getStatus()));
    return last;
  }

  /** The last event of each suspect in {@code suspect-history}, in the order written. */
  private static Map<String, SuspectStatus> lastStatusInHistory(TopologyHarness h) {
    WindowStore<String, byte[]> history = h.driver.getWindowStore(TopologyNames.SUSPECT_HISTORY_STORE);
    Map<String, SuspectStatus> last = new HashMap<>();
    try (WindowStoreIterator<byte[]> it = history.fetch(SERVICE, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
      it.forEachRemaining(kv -> {
        LeakSuspect e = SuspectHistory.decode(kv.value);
        last.put(e.getSuspectId(), e.getStatus());
      });
    }
    return last;
  }

  /** Ids whose OPEN follows an OPEN without a RESOLVED between: a second alert for one episode. */
  private static List<String> reopenedWithoutEnd(List<LeakSuspect> events) {
    Set<String> open = new TreeSet<>();
    List<String> twice = new ArrayList<>();
    for (LeakSuspect e : events) {
      if (e.getStatus() == SuspectStatus.OPEN && !open.add(e.getSuspectId())) {
        twice.add(e.getSuspectId());
      } else if (e.getStatus() == SuspectStatus.RESOLVED) {
        open.remove(e.getSuspectId());
      }
    }
    return twice;
  }

  /** A counter's value in the exposition; 0 when it is not there (before its first increment, or never). */
  private static double counter(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
