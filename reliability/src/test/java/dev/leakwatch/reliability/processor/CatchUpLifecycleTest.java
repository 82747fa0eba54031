package dev.leakwatch.reliability.processor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.avro.SuspectStatus;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.topology.DecodedProfile;
import dev.leakwatch.topology.Fixtures;
import dev.leakwatch.topology.ProcessorOutputs;
import dev.leakwatch.topology.TopologyNames;
import dev.leakwatch.topology.eval.CorpusScenario;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * A processor's catch-up after an outage on a real broker: one service's two instances sit on two
 * input partitions, and the sibling's whole backlog reaches the lifecycle before the leaking
 * instance's (its partition read later), so stream time runs the backlog's length ahead of the
 * leaking instance within a second of the processor's clock. Judged by stream time alone, the
 * leaking instance was gone at each of its backlog's captures, its suspect resolved and opened again
 * (docs/RELIABILITY.md findings 89 and 90, shown there with the test driver); judged by its own
 * silence, counted no further than the processor's clock ran, it stays open until the instance stops.
 *
 * <p>Scaled: scenario G's replica-1 (a heap leak, 35 captures) re-timed to a capture every 5 s, its
 * sibling scenario M's goroutine capture as instance {@code sibling} of the same service 2.5 s after
 * each; {@code instanceGoneAfter} 15 s, {@code resolveAfter} 30 s, ticks of 5 s. The outage falls
 * after the first 28 captures (the leak is open by then), leaving 35 s of backlog, over twice
 * {@code instanceGoneAfter}.
 */
class CatchUpLifecycleTest {

  private static final String APP = "catch-up";
  private static final long INTERVAL = 5_000;
  private static final long GONE_AFTER = 15_000;
  private static final int LIVE_CAPTURES = 28;
  private static final int LEAKING_PARTITION = 0;
  private static final int SIBLING_PARTITION = 1;

  private final CorpusScenario g = Fixtures.scenario("G");
  private final CorpusScenario.Capture quiet = Fixtures.scenario("M").captures().stream()
      .filter(c -> c.type().equals("goroutine")).findFirst().orElseThrow();
  private final Serializer<ProfileEnvelope> serializer = LeakwatchSerdes.profileEnvelope(Map.of(), false).serializer();

  @Test
  void shouldKeepASuspectOpenUntilItsInstanceStopsWhenItsPartitionIsReadAfterItsSiblingsBacklog() throws Exception {
    List<ProducerRecord<byte[], byte[]>> leaking = leakingCaptures();
    List<Long> times = leaking.stream().map(ProducerRecord::timestamp).distinct().toList();
    long outageAt = times.get(LIVE_CAPTURES);
    long lastLeaking = times.get(times.size() - 1);
    List<ProducerRecord<byte[], byte[]>> leakingLive = leaking.stream().filter(r -> r.timestamp() < outageAt).toList();
    List<ProducerRecord<byte[], byte[]>> leakingBacklog = leaking.stream().filter(r -> r.timestamp() >= outageAt).toList();
    try (CampaignFixture fixture = CampaignFixture.start(APP)) {
      ProcessorConfig config = ProcessorConfig.parse(fixture.yaml(APP, "only",
          "detection:", "  instanceGoneAfter: 15s", "  resolveAfter: 30s"));
      try (ProcessorOutputs outputs = new ProcessorOutputs(fixture.bootstrap(), config.topology())) {
        try (ProcessorRuntime live = new ProcessorRuntime(config)) {
          live.start();
          List<ProducerRecord<byte[], byte[]>> before = new ArrayList<>(leakingLive);
          before.addAll(siblings(times.get(0), outageAt));
          fixture.produce(before);
          await().atMost(Duration.ofMinutes(2)).until(() -> statuses(outputs).contains(SuspectStatus.OPEN));
        }

        // the outage's backlog: the sibling's partition is read first, the leaking instance's after it
        List<ProducerRecord<byte[], byte[]>> siblingBacklog = siblings(outageAt, lastLeaking + INTERVAL);
        fixture.produce(siblingBacklog);
        try (ProcessorRuntime back = new ProcessorRuntime(config)) {
          back.start();
          CampaignAssertions.awaitCaughtUp(back.httpPort(), siblingBacklog);
          fixture.produce(leakingBacklog);
          // live again: the leaking instance has stopped, its sibling goes on every 5 s of the clock
          long t = lastLeaking + INTERVAL + INTERVAL / 2;
          for (int i = 0; i < 12 && !statuses(outputs).contains(SuspectStatus.RESOLVED); i++, t += INTERVAL) {
            fixture.produce(List.of(sibling(t)));
            long next = System.currentTimeMillis() + INTERVAL;
            // live traffic's pace, not a wait for the processor: the instance's silence is clock time
            await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10))
                .until(() -> System.currentTimeMillis() >= next);
          }
        }

        List<LeakSuspect> events = outputs.suspectEvents().stream()
            .filter(e -> e.getService().equals(g.service())).toList();
        List<SuspectStatus> changes = events.stream().map(LeakSuspect::getStatus)
            .filter(s -> s != SuspectStatus.UPDATED).toList();
        assertEquals(List.of(SuspectStatus.OPEN, SuspectStatus.RESOLVED), changes,
            "opened once, resolved once its instance stopped, not in the catch-up: " + describe(events));
        long resolvedAt = events.get(events.size() - 1).getDetectedAt().toEpochMilli();
        assertTrue(resolvedAt >= lastLeaking + GONE_AFTER, "resolved instanceGoneAfter after the leaking instance's "
            + "last capture (" + lastLeaking + "), not before: " + describe(events));
      }
    }
  }

  /** Scenario G's replica-1 (its heap, goroutine and allocs profiles), re-timed to a capture every {@link #INTERVAL}, on its own partition. */
  private List<ProducerRecord<byte[], byte[]>> leakingCaptures() {
    List<CorpusScenario.Capture> replica = g.captures().stream().filter(c -> c.instance().equals("replica-1")).toList();
    long first = replica.get(0).captureMs();
    long stretch = INTERVAL / 1000; // the recording's captures are a second apart
    return replica.stream().sorted(Comparator.comparingLong(CorpusScenario.Capture::captureMs))
        .map(c -> record(g.service(), c, LEAKING_PARTITION, first + (c.captureMs() - first) * stretch)).toList();
  }

  /** The sibling's captures after {@code fromMs} up to {@code toMs}, each half an interval after one of the leaking instance's. */
  private List<ProducerRecord<byte[], byte[]>> siblings(long fromMs, long toMs) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (long t = fromMs + INTERVAL / 2; t <= toMs; t += INTERVAL) {
      out.add(sibling(t));
    }
    return out;
  }

  private ProducerRecord<byte[], byte[]> sibling(long captureMs) {
    CorpusScenario.Capture c = new CorpusScenario.Capture("sibling", quiet.type(), captureMs, quiet.file());
    return record(g.service(), c, SIBLING_PARTITION, captureMs);
  }

  private ProducerRecord<byte[], byte[]> record(String service, CorpusScenario.Capture c, int partition, long captureMs) {
    byte[] key = DecodedProfile.instanceKey(service, c.instance()).getBytes(StandardCharsets.UTF_8);
    byte[] value = serializer.serialize(TopologyNames.PROFILES_TOPIC, Fixtures.envelope(service, c, captureMs));
    return new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, partition, captureMs, key, value);
  }

  private List<SuspectStatus> statuses(ProcessorOutputs outputs) {
    return outputs.suspectEvents().stream().filter(e -> e.getService().equals(g.service()))
        .map(LeakSuspect::getStatus).toList();
  }

  private static List<String> describe(List<LeakSuspect> events) {
    return events.stream().map(e -> e.getStatus() + "@" + e.getDetectedAt()).toList();
  }
}
