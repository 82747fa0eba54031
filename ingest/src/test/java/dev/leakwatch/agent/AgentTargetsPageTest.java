package dev.leakwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /targets} of an agent with more targets than one page holds answers in pages that
 * together list every target once, and a small agent still answers the bare list.
 */
class AgentTargetsPageTest {

  /** The most targets a page holds, and the default (docs/INGEST.md). */
  private static final int PAGE = 1000;

  @TempDir Path dir;

  @Test
  void shouldAnswerInPagesThatListEveryTargetOnceWhenTheAgentRunsMoreThanAPage() throws Exception {
    int n = PAGE + 250;
    Set<String> all = new TreeSet<>();
    try (Agent agent = agentWith(n, all)) {
      Http http = new Http(agent.httpPort());

      // asked as before pages: the first page, an object, rather than an unbounded list
      JsonNode first = Http.json(http.get("/targets"));
      assertEquals(n, first.path("total").asInt());
      assertEquals(PAGE, first.path("targets").size());
      assertTrue(first.path("truncated").asBoolean());

      List<String> paged = new ArrayList<>();
      String after = null;
      int pages = 0;
      do {
        String query = "/targets?limit=400" + (after == null ? ""
            : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        JsonNode page = Http.json(http.get(query));
        assertEquals(n, page.path("total").asInt());
        assertEquals(page.path("targets").size(), page.path("count").asInt());
        assertTrue(page.path("count").asInt() <= 400);
        page.path("targets").forEach(t -> paged.add(t.path("service").asText() + "/" + t.path("instance").asText()));
        after = page.path("truncated").asBoolean() ? page.path("next").asText() : null;
        pages++;
      } while (after != null);

      assertEquals(4, pages);
      assertEquals(List.copyOf(all), paged, "every target once, by service/instance");
    }
  }

  @Test
  void shouldAnswerTheBareListWhenTheAgentRunsAtMostAPageAndNoPageIsAsked() throws Exception {
    Set<String> all = new TreeSet<>();
    try (Agent agent = agentWith(3, all)) {
      Http http = new Http(agent.httpPort());
      JsonNode list = Http.json(http.get("/targets"));
      assertTrue(list.isArray());
      assertEquals(3, list.size());

      JsonNode page = Http.json(http.get("/targets?limit=2"));
      assertEquals(2, page.path("count").asInt());
      assertEquals("orders/pod-00001", page.path("next").asText());
    }
  }

  @Test
  void shouldRefuseALimitOutsideItsRangeWhenAsked() throws Exception {
    try (Agent agent = agentWith(3, new TreeSet<>())) {
      Http http = new Http(agent.httpPort());
      for (String limit : List.of("0", "1001", "ten")) {
        HttpResponse<String> r = http.get("/targets?limit=" + limit);
        assertEquals(400, r.statusCode(), limit);
        assertEquals("parameter 'limit' = '" + limit + "': must be an integer in [1, 1000]",
            Http.json(r).path("message").asText());
      }
    }
  }

  /** An agent running {@code n} targets from a discovery file (none scraped within the test); adds their keys. */
  private Agent agentWith(int n, Set<String> keys) throws Exception {
    StringBuilder fleet = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String instance = String.format("pod-%05d", i);
      // nothing listens there: a round that falls within the test fails, which changes nothing here
      fleet.append("- service: orders\n  instance: ").append(instance).append("\n  url: http://127.0.0.1:1\n");
      keys.add("orders/" + instance);
    }
    Files.writeString(dir.resolve("fleet.yaml"), fleet.toString());
    AgentConfig cfg = TestConfigs.parse(TestConfigs.kafka(TestConfigs.unreachableBootstrap())
        + "scrape:\n  interval: 1h\ndiscovery:\n  files: [fleet.yaml]\n", dir);
    return Agent.start(cfg);
  }
}
