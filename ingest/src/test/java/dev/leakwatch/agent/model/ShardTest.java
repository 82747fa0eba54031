package dev.leakwatch.agent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {

  /** A fleet as a discovery file would list it: a few services of many instances. */
  private static List<TargetId> fleet() {
    List<TargetId> out = new ArrayList<>();
    for (String service : List.of("orders", "checkout", "session-store", "search-api")) {
      for (int i = 0; i < 750; i++) {
        out.add(new TargetId(service, "10.0." + (i / 250) + "." + (i % 250) + ":6060"));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "count {0}")
  @ValueSource(ints = {1, 2, 3, 7})
  void shouldGiveEveryTargetToExactlyOneShardAndSpreadThemEvenly(int count) {
    List<TargetId> fleet = fleet();
    Set<TargetId> seen = new HashSet<>();
    for (int index = 0; index < count; index++) {
      Shard shard = new Shard(index, count);
      List<TargetId> mine = fleet.stream().filter(shard::owns).toList();
      for (TargetId id : mine) {
        assertTrue(seen.add(id), id + " belongs to two shards");
      }
      double fair = (double) fleet.size() / count;
      assertTrue(Math.abs(mine.size() - fair) < 0.15 * fair, "shard " + shard + " holds " + mine.size()
          + " of " + fleet.size());
    }
    assertEquals(fleet.size(), seen.size(), "every target has a shard");
  }

  /** The documented rule (FNV-1a 64 of the UTF-8 record key, unsigned, modulo count), computed apart. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "orders, orders-7, 2, 3",
      "checkout, 10.0.0.7:6060, 1, 3",
      "session-store, replica-0, 2, 1",
      "é, ü, 0, 4",
  })
  void shouldFollowTheDocumentedRule(String service, String instance, int ofThree, int ofFive) {
    TargetId id = new TargetId(service, instance);
    assertTrue(new Shard(ofThree, 3).owns(id));
    assertTrue(new Shard(ofFive, 5).owns(id));
  }

  @Test
  void shouldKeepEveryTargetWithOneShard() {
    assertTrue(fleet().stream().allMatch(Shard.ALL::owns));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "3/3 | '3/3': index must be 0 to 2 (count - 1), got 3",
      "-1/3 | '-1/3': index must be 0 to 2 (count - 1), got -1",
      "0/0 | '0/0': count must be 1 to 10000, got 0",
      "3 | '3' is not INDEX/COUNT, e.g. 0/3",
      "a/b | 'a/b' is not INDEX/COUNT, e.g. 0/3",
      "1/ | '1/' is not INDEX/COUNT, e.g. 0/3",
  })
  void shouldRefuseWhatIsNotAShardNamingTheProblem(String text, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void shouldReadIndexAndCount() {
    assertEquals(new Shard(2, 5), Shard.parse(" 2/5 "));
  }
}
