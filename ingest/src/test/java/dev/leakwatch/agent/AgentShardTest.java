package dev.leakwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.model.Shard;
import dev.leakwatch.agent.model.TargetId;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents that share one target list with {@code scrape.shard} run disjoint parts of it that together
 * are the whole list, static targets and discovery files alike.
 */
class AgentShardTest {

  private static final int TARGETS = 40;
  private static final int AGENTS = 3;

  @TempDir Path dir;

  @Test
  void shouldRunOnlyItsShareOfStaticAndDiscoveredTargets() throws Exception {
    StringBuilder statics = new StringBuilder("targets:\n");
    StringBuilder discovered = new StringBuilder();
    Set<String> all = new TreeSet<>();
    for (int i = 0; i < TARGETS; i++) {
      // nothing listens there: a round that falls within the test fails, which changes nothing here
      String entry = "  - service: orders\n    instance: pod-" + i + "\n    url: http://127.0.0.1:1\n";
      if (i % 2 == 0) {
        statics.append(entry);
      } else {
        discovered.append(entry.replaceFirst("  - ", "- ").replace("\n    ", "\n  "));
      }
      all.add("orders/pod-" + i);
    }
    Files.writeString(dir.resolve("fleet.yaml"), discovered.toString());

    Set<String> union = new HashSet<>();
    for (int index = 0; index < AGENTS; index++) {
      AgentConfig cfg = TestConfigs.parse(TestConfigs.kafka(TestConfigs.unreachableBootstrap())
          + "scrape:\n  interval: 1h\n  shard: " + index + "/" + AGENTS + "\n" + statics
          + "discovery:\n  files: [fleet.yaml]\n", dir);
      Set<String> running;
      try (Agent agent = Agent.start(cfg)) {
        running = targets(agent);
      }
      Shard shard = new Shard(index, AGENTS);
      Set<String> expected = new TreeSet<>();
      for (String key : all) {
        if (shard.owns(new TargetId("orders", key.substring("orders/".length())))) {
          expected.add(key);
        }
      }
      assertEquals(expected, running, "agent " + shard);
      for (String key : running) {
        assertEquals(true, union.add(key), key + " runs on two agents");
      }
    }
    assertEquals(all, new TreeSet<>(union), "every target runs on one agent");
  }

  private static Set<String> targets(Agent agent) throws Exception {
    JsonNode list = new ObjectMapper().readTree(new Http(agent.httpPort()).get("/targets").body());
    Set<String> out = new TreeSet<>();
    for (JsonNode t : list) {
      out.add(t.path("service").asText() + "/" + t.path("instance").asText());
    }
    return out;
  }
}
