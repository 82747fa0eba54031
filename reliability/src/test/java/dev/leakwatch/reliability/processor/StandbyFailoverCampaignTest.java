package dev.leakwatch.reliability.processor;

import static dev.leakwatch.reliability.processor.CampaignAssertions.assertEveryInputAccountedOnce;
import static dev.leakwatch.reliability.processor.CampaignAssertions.assertSameAnswers;
import static dev.leakwatch.reliability.processor.CampaignAssertions.assertSameSuspectEvents;
import static dev.leakwatch.reliability.processor.CampaignAssertions.awaitCaughtUp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.topology.ChildProcessor;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances of one application (child JVMs) with a standby replica each. Mid-stream, the one
 * that owns the heap leak's service ({@code session-store}: its windows, lifecycle and suspect
 * events) is killed with SIGKILL while a client keeps asking the other about every service. Every
 * question keeps getting its answer (a 503 while partitions move is retried as its Retry-After
 * asks), the survivor takes the service over from its standbys (it restores next to nothing from
 * the changelogs, as its own metrics say) and finishes the stream, the suspect events have no
 * gap (they are exactly the uninterrupted reference run's), and the final answers are the
 * reference's.
 */
@Tag("campaign")
class StandbyFailoverCampaignTest {

  private static final String APP = "standby-campaign";
  private static final String OWNED = ApiPaths.fill(ApiPaths.INSTANCES, "session-store");

  @Test
  void shouldKeepAnsweringAndLoseNoSuspectEventWhenTheOwnerOfALeakingServiceIsKilled() throws Exception {
    List<ProducerRecord<byte[], byte[]>> input = CampaignFixture.input();
    try (CampaignFixture fixture = CampaignFixture.start(APP);
        ReferenceRun reference = ReferenceRun.start(fixture, APP + "-reference")) {
      String yamlA = fixture.yaml(APP, "a", "standbyReplicas: 1");
      String yamlB = fixture.yaml(APP, "b", "standbyReplicas: 1");
      try (ChildProcessor a = ChildProcessor.start(yamlA, fixture.log(APP + "-a"));
          ChildProcessor b = ChildProcessor.start(yamlB, fixture.log(APP + "-b"));
          ProcessorOutputs outputs = new ProcessorOutputs(fixture.bootstrap(), ProcessorConfig.parse(yamlA).topology())) {
        await().atMost(Duration.ofMinutes(2)).until(() -> a.running() && b.running() && a.httpPort() > 0 && b.httpPort() > 0);

        int half = input.size() / 2;
        List<Position> produced = new ArrayList<>(fixture.produce(input.subList(0, half)));
        // every question has an answer before the kill: whatever fails later fails because of it
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> questions().stream()
            .allMatch(q -> QueryAnswers.once(a.httpPort(), q).status() == 200));
        ChildProcessor victim = owner(a, b);
        ChildProcessor survivor = victim == a ? b : a;

        try (QueryLoop client = new QueryLoop(survivor.httpPort(), questions())) {
          await().atMost(Duration.ofMinutes(1)).until(() -> client.rounds() >= 1);
          long restoredBeforeKill = RestoreMetrics.of(survivor.httpPort()).total();
          victim.kill();
          int roundsAtKill = client.rounds();
          produced.addAll(fixture.produce(input.subList(half, input.size())));
          assertEveryInputAccountedOnce(outputs, produced, CampaignAssertions.garbage(input, produced));
          awaitCaughtUp(survivor.httpPort(), input);
          await().atMost(Duration.ofMinutes(2)).until(() -> client.rounds() >= roundsAtKill + 3);
          client.close();
          System.out.println("killed the owner of session-store during query round " + roundsAtKill + " of "
              + client.rounds() + "; " + client.retried() + " answers needed a retry");
          assertEquals(List.of(), client.unanswered(), "questions that got no answer");
          // The survivor took the victim's tasks over from its standbys: it restored from the
          // changelogs at most the tail its standbys had not read at the kill. Without standbys it
          // restores the victim's whole share (session 16: 463 records with standbyReplicas 0 for
          // this input of 465 records, 0 with 1).
          RestoreMetrics after = RestoreMetrics.of(survivor.httpPort());
          long restoredAtTakeover = after.total() - restoredBeforeKill;
          System.out.println("the survivor restored " + restoredAtTakeover + " changelog records at the takeover: "
              + after.restored());
          assertTrue(restoredAtTakeover <= input.size() / 4,
              "the takeover restored " + restoredAtTakeover + " records, as if there were no standby: " + after.restored());
        }
        assertEquals("127.0.0.1:" + survivor.httpPort(), QueryAnswers.servedBy(survivor.httpPort(), OWNED),
            "the survivor took session-store over");
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

  /** The instance whose active task holds session-store, as the API's Served-By header names it. */
  private static ChildProcessor owner(ChildProcessor a, ChildProcessor b) {
    String owner = QueryAnswers.servedBy(a.httpPort(), OWNED);
    if (owner.equals("127.0.0.1:" + a.httpPort())) {
      return a;
    }
    assertEquals("127.0.0.1:" + b.httpPort(), owner, "session-store is owned by one of the two instances");
    return b;
  }
}
