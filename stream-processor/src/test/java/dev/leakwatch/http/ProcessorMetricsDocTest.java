package dev.leakwatch.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import dev.leakwatch.schemas.testing.DocTables;
import dev.leakwatch.schemas.testing.MetricsDoc;
import dev.leakwatch.testing.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/API.md's metrics table is what a processor exports: one processor running against a real
 * broker is scraped, and its {@code leakwatch_*} series and the table must agree on names, label
 * names and types; every processor metric the docs mention must exist.
 */
class ProcessorMetricsDocTest {
  private static final String HEADING = "### `GET /metrics`";
  /** {@code leakwatch_*} names in the docs that are the agent's, the alert bridge's, or not metrics. */
  private static final Pattern PROCESSOR_METRIC =
      Pattern.compile("leakwatch_(?!agent_|alerts_|token\\b|url\\b)[a-z_]*[a-z]");

  @TempDir Path dir;

  @Test
  void shouldExportExactlyTheMetricsApiMdListsWithTheirLabelsAndTypes() throws Exception {
    KafkaClusterTestKit cluster = TestBroker.start(dir.resolve("kafka"), Map.of());
    try (cluster) {
      ProcessorConfig config = ProcessorConfig.parse(String.join("\n",
          "applicationId: metrics-doc",
          "bootstrapServers: " + cluster.bootstrapServers(),
          "stateDir: " + dir.resolve("state"),
          "topics:", "  partitions: 1",
          "rocksdb:", "  blockCacheBytes: 16MiB",
          "http:", "  port: 0", ""));
      TopicBootstrap.ensureTopics(config);
      try (ProcessorRuntime processor = new ProcessorRuntime(config)) {
        processor.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> processor.state() == KafkaStreams.State.RUNNING);
        String scrape = ApiClient.text(ApiClient.get(processor.httpPort(), "/metrics", null));

        List<String> drift = MetricsDoc.drift(DocTables.table("docs/API.md", HEADING), scrape, "leakwatch_");
        assertEquals(List.of(), drift, "docs/API.md's metrics table against /metrics");
        StringBuilder docs = new StringBuilder(DocTables.read("README.md"));
        for (String f : List.of("API.md", "OPERATIONS.md", "PROCESSOR.md", "DETECTION.md", "SCHEMAS.md", "DEMO.md",
            "UI.md", "PERFORMANCE.md")) {
          docs.append(DocTables.read("docs/" + f));
        }
        assertEquals(Set.of(), MetricsDoc.unknownMentions(docs.toString(), PROCESSOR_METRIC, scrape),
            "processor metrics the docs name that the processor does not export");
      }
    }
  }
}
