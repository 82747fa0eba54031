package dev.leakwatch.reliability.processor;

import static dev.leakwatch.reliability.processor.CampaignAssertions.assertEveryInputAccountedOnce;
import static dev.leakwatch.reliability.processor.CampaignAssertions.assertSameAnswers;
import static dev.leakwatch.reliability.processor.CampaignAssertions.assertSameSuspectEvents;
import static dev.leakwatch.reliability.processor.CampaignAssertions.awaitCaughtUp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import dev.leakwatch.topology.TopologyNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The processor's state directory is deleted between two runs: the restarted instance restores
 * every store from its changelog topic, processes the rest of the input on that state, and ends
 * exactly as the uninterrupted reference run: the same suspect events (none emitted again, none
 * lost) and the same answer to every query.
 */
@Tag("campaign")
class StateWipeCampaignTest {

  private static final String APP = "wipe-campaign";
  private static final List<String> STORES = List.of(TopologyNames.INSTANCE_SERIES_STORE,
      TopologyNames.INSTANCE_SNAPSHOT_STORE, TopologyNames.SERVICE_WINDOWS_STORE, TopologyNames.STACK_DICTIONARY_STORE,
      TopologyNames.STACK_LAST_SEEN_STORE,
      TopologyNames.SUSPECT_LIFECYCLE_STORE, TopologyNames.SUSPECT_HISTORY_STORE);

  @Test
  void shouldRestoreEveryStoreFromChangelogsAndAnswerIdenticallyAfterStateDirectoryIsDeleted() throws Exception {
    List<ProducerRecord<byte[], byte[]>> input = CampaignFixture.input();
    // the last 10 % of every service's input arrives after the restart: the restored state must
    // carry on exactly as the uninterrupted run's does, not only answer as it
    CampaignFixture.Split split = CampaignFixture.splitTail(input);
    List<ProducerRecord<byte[], byte[]>> head = split.head();
    List<ProducerRecord<byte[], byte[]>> tail = split.tail();
    try (CampaignFixture fixture = CampaignFixture.start(APP);
        ReferenceRun reference = ReferenceRun.start(fixture, APP + "-reference")) {
      ProcessorConfig config = ProcessorConfig.parse(fixture.yaml(APP, "only"));
      List<Position> produced = new ArrayList<>(fixture.produce(head));
      try (ProcessorOutputs outputs = new ProcessorOutputs(fixture.bootstrap(), config.topology())) {
        CampaignFixture.runToTheEnd(config, outputs, produced, head);
        List<Position> garbage = new ArrayList<>(CampaignAssertions.garbage(head, produced));
        Path state = fixture.stateDir(APP, "only");
        deleteRecursively(state);
        assertFalse(Files.exists(state));

        try (ProcessorRuntime second = new ProcessorRuntime(config)) {
          second.start();
          await().atMost(Duration.ofMinutes(2)).until(() -> second.state() == KafkaStreams.State.RUNNING);
          // the rest of every service's input, processed on the restored state
          List<Position> producedTail = fixture.produce(tail);
          produced.addAll(producedTail);
          garbage.addAll(CampaignAssertions.garbage(tail, producedTail));
          // a marker after everything: once it is dead-lettered, the instance has caught up
          List<Position> marker = fixture.produce(List.of(new ProducerRecord<>(TopologyNames.PROFILES_TOPIC, 0,
              input.get(input.size() - 1).timestamp(), "session-store/marker".getBytes(StandardCharsets.UTF_8),
              "garbage marker".getBytes(StandardCharsets.UTF_8))));
          produced.addAll(marker);
          garbage.addAll(marker);
          assertEveryInputAccountedOnce(outputs, produced, garbage);

          // the processor's own metrics tell it: every store restored, nothing left
          RestoreMetrics restores = RestoreMetrics.of(second.httpPort());
          System.out.println("restored records per store: " + restores.restored());
          assertEquals(Set.copyOf(STORES), restores.restored().keySet(), "a count for every store");
          for (String store : STORES) {
            assertTrue(restores.restored().get(store) > 0, store + " was not restored: " + restores.restored());
            assertEquals(0L, restores.remaining().get(store), store + " has records left: " + restores.remaining());
          }
          reference.awaitAccounted(produced);
          awaitCaughtUp(reference.httpPort(), input);
          awaitCaughtUp(second.httpPort(), input);
          assertSameSuspectEvents(reference.outputs, outputs);
          assertSameAnswers(reference.httpPort(), second.httpPort());
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
