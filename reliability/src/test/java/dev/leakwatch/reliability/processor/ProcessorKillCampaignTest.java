package dev.leakwatch.reliability.processor;

import static dev.leakwatch.reliability.processor.CampaignAssertions.assertEveryInputAccountedOnce;
import static dev.leakwatch.reliability.processor.CampaignAssertions.assertSameAnswers;
import static dev.leakwatch.reliability.processor.CampaignAssertions.assertSameSuspectEvents;
import static dev.leakwatch.reliability.processor.CampaignAssertions.awaitCaughtUp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.topology.ChildProcessor;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The processor (a child JVM) is killed with SIGKILL at seeded random points while the recorded
 * scenarios stream through it, and restarted each time; some kills land while it restores state.
 * At the end every input is accounted for once, the suspect events (read_committed) are exactly
 * the uninterrupted reference run's, and the query API answers every question as the reference
 * does. {@code -Dleakwatch.faults.seed=N} repeats a run's kill points (the seed is printed).
 */
@Tag("campaign")
class ProcessorKillCampaignTest {

  private static final String APP = "kill-campaign";
  private static final int KILLS = 4;

  @Test
  void shouldEndAsAnUninterruptedRunAfterRepeatedSigkills() throws Exception {
    long seed = Long.getLong("leakwatch.faults.seed", System.nanoTime());
    System.out.println("kill campaign seed " + seed + " (-Dleakwatch.faults.seed=" + seed + " repeats it)");
    SplittableRandom rnd = new SplittableRandom(seed);
    List<ProducerRecord<byte[], byte[]>> input = CampaignFixture.input();

    try (CampaignFixture fixture = CampaignFixture.start(APP);
        ReferenceRun reference = ReferenceRun.start(fixture, APP + "-reference")) {
      String yaml = fixture.yaml(APP, "only");
      List<Position> produced = fixture.produce(input);
      List<String> kills = new ArrayList<>();
      try (ProcessorOutputs outputs = new ProcessorOutputs(fixture.bootstrap(), ProcessorConfig.parse(yaml).topology())) {
        ChildProcessor child = ChildProcessor.start(yaml, fixture.log(APP));
        for (int k = 1; k <= KILLS; k++) {
          String point;
          if (rnd.nextInt(4) == 0) {
            // as soon as it reports RUNNING: often still restoring, or not yet committed anything
            await().atMost(Duration.ofMinutes(2)).until(child::running);
            point = "on RUNNING";
          } else {
            int target = (int) (produced.size() * (k - 0.5 + rnd.nextDouble()) / (KILLS + 1));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> outputs.accounted().size() >= target);
            point = "after " + target + " of " + produced.size() + " inputs";
          }
          int accounted = outputs.accounted().size();
          child.kill();
          kills.add("kill " + k + " " + point + " (" + accounted + " accounted when killed)");
          child = ChildProcessor.start(yaml, fixture.log(APP));
        }
        System.out.println(String.join("\n", kills));
        try (ChildProcessor last = child) {
          assertEveryInputAccountedOnce(outputs, produced, CampaignAssertions.garbage(input, produced));
          reference.awaitAccounted(produced);
          await().atMost(Duration.ofMinutes(1)).until(() -> last.httpPort() > 0);
          awaitCaughtUp(reference.httpPort(), input);
          awaitCaughtUp(last.httpPort(), input);
          assertSameSuspectEvents(reference.outputs, outputs);
          assertSameAnswers(reference.httpPort(), last.httpPort());
          assertEquals(KILLS, kills.size());
        }
      }
    }
  }
}
