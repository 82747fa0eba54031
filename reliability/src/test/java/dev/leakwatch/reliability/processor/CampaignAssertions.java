package dev.leakwatch.reliability.processor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.query.ApiPaths;
import dev.leakwatch.schemas.avro.LeakSuspect;
import dev.leakwatch.topology.Position;
import dev.leakwatch.topology.ProcessorOutputs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What every processor campaign checks at its end, against the reference run. */
final class CampaignAssertions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CampaignAssertions() {}

  /** The input positions of the garbage records (dead letters to be). */
  static List<Position> garbage(List<ProducerRecord<byte[], byte[]>> input, List<Position> produced) {
    return IntStream.range(0, input.size())
        .filter(i -> new String(input.get(i).value(), StandardCharsets.UTF_8).startsWith("garbage"))
        .mapToObj(produced::get).toList();
  }

  /**
   * Every input record was processed (audit) or dead-lettered exactly once, as read_committed
   * consumers see it; the garbage, and only the garbage, was dead-lettered.
   */
  static void assertEveryInputAccountedOnce(ProcessorOutputs outputs, List<Position> produced, List<Position> garbage) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
        .until(() -> outputs.accounted().containsAll(produced));
    List<Position> processed = outputs.processed();
    List<Position> dead = outputs.deadLettered();
    assertEquals(processed.size(), new HashSet<>(processed).size(), "an input was processed twice");
    assertEquals(new HashSet<>(garbage), new HashSet<>(dead), "dead letters");
    assertEquals(garbage.size(), dead.size(), "a record was dead-lettered twice");
    HashSet<Position> all = new HashSet<>(processed);
    all.addAll(dead);
    assertEquals(new HashSet<>(produced), all, "every input accounted for, nothing else");
  }

  /**
   * Waits until the instance at {@code port} has applied every service's last capture in its
   * per-service stage (after the repartition): its lifecycle's latest capture is the input's.
   */
  static void awaitCaughtUp(int port, List<ProducerRecord<byte[], byte[]>> input) {
    Map<String, Long> last = new TreeMap<>();
    for (ProducerRecord<byte[], byte[]> r : input) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      last.merge(key.substring(0, key.indexOf('/')), r.timestamp(), Math::max);
    }
    Map<String, String> seen = new TreeMap<>();
    try {
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
        boolean all = true;
        for (Map.Entry<String, Long> e : last.entrySet()) {
          QueryAnswers.Answer a = QueryAnswers.once(port, ApiPaths.fill(ApiPaths.INSTANCES, e.getKey()));
          seen.put(e.getKey(), a.status() + " " + a.body());
          all &= a.status() == 200
              && Instant.parse(JSON.readTree(a.body()).get("latestCapture").asText()).toEpochMilli() == e.getValue();
        }
        return all;
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("instance at port " + port + " did not catch up with the input's last captures "
          + last + "; last answers: " + seen, e);
    }
  }

  /**
   * The suspect events equal the reference's, service by service and in order: none lost, none
   * repeated, none different; and no event of either run is emitted twice. Both runs must have
   * caught up ({@link #awaitCaughtUp}); the wait covers their last commits.
   */
  static void assertSameSuspectEvents(ProcessorOutputs reference, ProcessorOutputs campaign) {
    try {
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
          eventsByService(reference.suspectEvents()).equals(eventsByService(campaign.suspectEvents())));
    } catch (ConditionTimeoutException e) {
      // they differ for good: the assertions below say how
    }
    SortedMap<String, List<String>> expected = eventsByService(reference.suspectEvents());
    assertFalse(expected.isEmpty(), "the reference run raised no suspect: the comparison would be vacuous");
    // Equal to the reference is not enough: an event emitted twice by the reference too would be
    // "equal". Every event differs from the others in its suspect, status or time.
    expected.forEach((service, events) -> assertEquals(events.size(), new HashSet<>(events).size(),
        "the reference emitted an event of " + service + " more than once: " + events));
    assertEquals(expected, eventsByService(campaign.suspectEvents()));
  }

  /** The query API answers every question exactly as the reference does. */
  static void assertSameAnswers(int referencePort, int campaignPort) {
    SortedMap<String, String> suspects = QueryAnswers.suspects(referencePort);
    assertTrue(suspects.size() >= 2, "the reference knows the two leaks: " + suspects);
    List<String> questions = QueryAnswers.questions(CampaignFixture.SERVICES, suspects);
    Map<String, QueryAnswers.Answer> expected = QueryAnswers.of(referencePort, questions);
    assertTrue(expected.values().stream().allMatch(a -> a.status() == 200),
        "the reference answers every question: " + expected);
    Map<String, QueryAnswers.Answer> actual = QueryAnswers.of(campaignPort, questions);
    assertTrue(expected.equals(actual), "answers differ:" + QueryAnswers.differences(expected, actual));
    System.out.println("query API: " + questions.size() + " answers identical to the reference's ("
        + suspects.size() + " suspects)");
  }

  private static SortedMap<String, List<String>> eventsByService(List<LeakSuspect> events) {
    return events.stream().collect(Collectors.groupingBy(LeakSuspect::getService, TreeMap::new,
        Collectors.mapping(LeakSuspect::toString, Collectors.toList())));
  }
}
