package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.schemas.testing.DocTables;
import dev.leakwatch.schemas.testing.MetricsDoc;
import dev.leakwatch.schemas.testing.TestPki;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/INGEST.md's metrics table is what an agent exports: an agent with every feature that adds
 * meters (target files, pod discovery, scrape TLS, push, a target scraped and one failing) is
 * scraped, and its {@code leakwatch_agent_*} series and the table must agree on names, label names
 * and types; every {@code leakwatch_agent_*} name the docs mention must exist.
 */
class AgentMetricsDocTest {
  private static final String HEADING = "### Metrics (`GET /metrics`, Prometheus text)";

  @TempDir Path dir;

  @Test
  void shouldExportExactlyTheMetricsIngestMdListsWithTheirLabelsAndTypes() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"), "leakwatch-doc-ca");
    Files.writeString(dir.resolve("token"), "agent-token");
    try (FixtureTarget up = new FixtureTarget()) {
      Files.writeString(dir.resolve("fleet.yaml"),
          "- service: orders\n  instance: orders-1\n  url: http://127.0.0.1:" + up.port() + "\n");
      String yaml = TestConfigs.kafka(TestConfigs.unreachableBootstrap())
          + "scrape:\n  interval: 200ms\n  jitter: 0\n  tls:\n    caFile: " + pki.caPem() + "\n"
          + "targets:\n  - service: orders\n    instance: orders-2\n    url: http://127.0.0.1:"
          + TestConfigs.freePort() + "\n"
          + "discovery:\n  files: [fleet.yaml]\n  refreshInterval: 100ms\n"
          + "  kubernetes:\n    apiServer: https://127.0.0.1:" + TestConfigs.freePort()
          + "\n    tokenFile: token\n    caFile: pki/ca.pem\n";
      try (Agent agent = Agent.start(TestConfigs.parse(yaml, dir))) {
        Http http = new Http(agent.httpPort());
        http.send(http.request("/ingest?service=orders&instance=orders-3&type=heap")
            .POST(HttpRequest.BodyPublishers.ofString(""))); // refused: counted by status
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          String m = http.get("/metrics").body();
          return m.contains("leakwatch_agent_scraped_bytes_total{") && m.contains("leakwatch_agent_scrape_failures_total{")
              && m.contains("leakwatch_agent_pushes_total{");
        });
        String scrape = http.get("/metrics").body();

        List<String> drift = MetricsDoc.drift(DocTables.table("docs/INGEST.md", HEADING), scrape, "leakwatch_agent_");
        assertEquals(List.of(), drift, "docs/INGEST.md's metrics table against /metrics");
        StringBuilder docs = new StringBuilder(DocTables.read("README.md"));
        for (String f : List.of("INGEST.md", "OPERATIONS.md", "API.md", "PROCESSOR.md", "SCHEMAS.md", "DEMO.md")) {
          docs.append(DocTables.read("docs/" + f));
        }
        assertEquals(Set.of(),
            MetricsDoc.unknownMentions(docs.toString(), Pattern.compile("leakwatch_agent_[a-z_]*[a-z]"), scrape),
            "agent metrics the docs name that the agent does not export");
      }
    }
  }
}
