package dev.leakwatch.reliability.processor;

import static dev.leakwatch.reliability.processor.CampaignAssertions.assertEveryInputAccountedOnce;
import static dev.leakwatch.reliability.processor.CampaignAssertions.awaitCaughtUp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import dev.leakwatch.topology.TopologyNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A processor stopped cleanly and started again on the same state directory (a rolling upgrade, a
 * rescheduled pod) keeps its local state: no store is restored from its changelog, so the restart
 * costs seconds, not a replay of the window retention. Under exactly_once_v2 Kafka Streams wipes a
 * task whose logged store has no committed changelog offset while another store of the task holds
 * data; the input has a service with suspects and one (search-api) with none, whose task never
 * writes {@code suspect-history}.
 */
class CleanRestartTest {

  private static final String APP = "clean-restart";

  @Test
  void shouldRestoreNoStoreFromItsChangelogWhenRestartedCleanlyOnTheSameStateDirectory() throws Exception {
    List<ProducerRecord<byte[], byte[]>> input = CampaignFixture.input();
    try (CampaignFixture fixture = CampaignFixture.start(APP)) {
      ProcessorConfig config = ProcessorConfig.parse(fixture.yaml(APP, "only"));
      List<Position> produced = new ArrayList<>(fixture.produce(input));
      try (ProcessorOutputs outputs = new ProcessorOutputs(fixture.bootstrap(), config.topology())) {
        CampaignFixture.runToTheEnd(config, outputs, produced, input);

        try (ProcessorRuntime second = new ProcessorRuntime(config)) {
          second.start();
          await().atMost(Duration.ofMinutes(2)).until(() -> second.state() == KafkaStreams.State.RUNNING);
          // a marker through every service's partition's task: once it is accounted for, all tasks run
          List<ProducerRecord<byte[], byte[]>> markers = new ArrayList<>();
          for (int p = 0; p < CampaignFixture.SERVICES.size(); p++) {
            markers.add(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, p, input.get(input.size() - 1).timestamp(),
                (CampaignFixture.SERVICES.get(p) + "/marker").getBytes(StandardCharsets.UTF_8),
                "garbage marker".getBytes(StandardCharsets.UTF_8)));
          }
          List<Position> marked = fixture.produce(markers);
          produced.addAll(marked);
          List<Position> garbage = new ArrayList<>(CampaignAssertions.garbage(input, produced.subList(0, input.size())));
          garbage.addAll(marked);
          assertEveryInputAccountedOnce(outputs, produced, garbage);
          awaitCaughtUp(second.httpPort(), input);

          // the processor's own metrics tell it, as an operator would read them
          Map<String, Long> restored = RestoreMetrics.of(second.httpPort()).restored();
          assertEquals(TopologyNames.STORES.size(), restored.size(), "a count for every store: " + restored);
          assertTrue(restored.values().stream().allMatch(n -> n == 0),
              "records restored from changelogs after a clean restart, per store: " + restored);
          assertEquals(KafkaStreams.State.RUNNING, second.state());
        }
      }
    }
  }
}
