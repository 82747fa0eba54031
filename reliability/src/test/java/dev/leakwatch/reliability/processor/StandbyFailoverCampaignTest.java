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
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.topology.ChildProcessor;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import dev.leakwatch.topology.TopologyNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances of one application with a standby replica each; the one that owns a leaking
 * service (a child JVM) is killed with SIGKILL mid-stream while a client keeps asking the other
 * about every service. Every question keeps getting its answer (a 503 while partitions move is
 * retried as its Retry-After asks), the survivor finishes the stream, the suspect events have no
 * gap (they are exactly the uninterrupted reference run's), and the final answers are the
 * reference's.
 */
@Tag("campaign")
class StandbyFailoverCampaignTest {

  private static final String APP = "standby-campaign";

  @Test
  void shouldKeepAnsweringAndLoseNoSuspectEventWhenOneOfTwoInstancesIsKilled() throws Exception {
    List<ProducerRecord<byte[], byte[]>> input = CampaignFixture.input();
    try (CampaignFixture fixture = CampaignFixture.start(APP);
        ReferenceRun reference = ReferenceRun.start(fixture, APP + "-reference")) {
      ProcessorConfig survivorConfig = ProcessorConfig.parse(fixture.yaml(APP, "survivor", "standbyReplicas: 1"));
      try (ChildProcessor victim = ChildProcessor.start(fixture.yaml(APP, "victim", "standbyReplicas: 1"), fixture.log(APP));
          ProcessorRuntime survivor = new ProcessorRuntime(survivorConfig);
          ProcessorOutputs outputs = new ProcessorOutputs(fixture.bootstrap(), survivorConfig.topology())) {
        await().atMost(Duration.ofMinutes(2)).until(victim::running);
        survivor.start();
        await().atMost(Duration.ofMinutes(2)).until(() -> sharingWithStandbys(survivor));

        int half = input.size() / 2;
        List<Position> produced = new ArrayList<>(fixture.produce(input.subList(0, half)));
        await().atMost(Duration.ofMinutes(2)).until(() -> outputs.accounted().size() >= half / 2);
        List<String> victimServices = servicesOwnedBy(survivor, "127.0.0.1:" + victim.httpPort());
        assertFalse(victimServices.isEmpty(), "the victim owns no service: nothing would fail over");
        assertTrue(standbyTasks(survivor) > 0, "the survivor holds standby copies");

        // every question has an answer before the kill: whatever fails later fails because of it
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> questions().stream()
            .allMatch(q -> QueryAnswers.once(survivor.httpPort(), q).status() == 200));
        try (QueryLoop client = new QueryLoop(survivor.httpPort(), questions())) {
          await().atMost(Duration.ofMinutes(1)).until(() -> client.rounds() >= 1);
          victim.kill();
          int roundsAtKill = client.rounds();
          produced.addAll(fixture.produce(input.subList(half, input.size())));
          assertEveryInputAccountedOnce(outputs, produced, CampaignAssertions.garbage(input, produced));
          awaitCaughtUp(survivor.httpPort(), input);
          await().atMost(Duration.ofMinutes(2)).until(() -> client.rounds() >= roundsAtKill + 3);
          client.close();
          System.out.println("victim owned " + victimServices + "; " + client.rounds() + " query rounds (killed during round "
              + roundsAtKill + "), " + client.retried() + " answers needed a retry");
          assertEquals(List.of(), client.unanswered(), "questions that got no answer");
        }
        assertEquals(KafkaStreams.State.RUNNING, survivor.state());
        reference.awaitAccounted(produced);
        awaitCaughtUp(reference.httpPort(), input);
        assertSameSuspectEvents(reference.outputs, outputs);
        assertSameAnswers(reference.httpPort(), survivor.httpPort());
      }
    }
  }

  /** What a dashboard asks about every service: live instances, top stacks, suspects. */
  private static List<String> questions() {
    List<String> q = new ArrayList<>(List.of(ApiPaths.SUSPECTS));
    for (String s : CampaignFixture.SERVICES) {
      q.add(ApiPaths.fill(ApiPaths.INSTANCES, s));
      q.add(ApiPaths.fill(ApiPaths.TOP, s) + "?metric=inuse_space&limit=5");
      q.add(ApiPaths.fill(ApiPaths.SERVICE_SUSPECTS, s));
    }
    return q;
  }

  /** Both instances RUNNING, each active for input and repartition partitions. */
  private static boolean sharingWithStandbys(ProcessorRuntime survivor) {
    if (survivor.state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    Collection<StreamsMetadata> all = survivor.streams().metadataForAllStreamsClients();
    return all.size() == 2 && all.stream().allMatch(m -> m.topicPartitions().stream()
        .anyMatch(tp -> tp.topic().equals(TopologyNames.PROFILES_TOPIC))
        && m.topicPartitions().stream().anyMatch(tp -> tp.topic().endsWith("-repartition")));
  }

  /** The services whose per-service state (suspect lifecycle) is active on {@code host}. */
  private static List<String> servicesOwnedBy(ProcessorRuntime runtime, String host) {
    return CampaignFixture.SERVICES.stream().filter(s -> {
      var meta = runtime.streams().queryMetadataForKey(TopologyNames.SUSPECT_LIFECYCLE_STORE, s,
          Serdes.String().serializer());
      return (meta.activeHost().host() + ":" + meta.activeHost().port()).equals(host);
    }).toList();
  }

  private static int standbyTasks(ProcessorRuntime runtime) {
    return runtime.streams().metadataForLocalThreads().stream().map(ThreadMetadata::standbyTasks)
        .mapToInt(Set::size).sum();
  }
}
