package dev.leakwatch.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import dev.leakwatch.processor.TopicBootstrap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A processor whose broker goes away (the child-JVM broker, stopped with SIGTERM) says so on its own
 * endpoints: {@code leakwatch_broker_unreachable_seconds} rises above 0 and {@code /readyz} keeps
 * answering 200 with {@code brokers: unreachable for Ns}; once the broker is back on the same
 * address, the metric returns to 0 and the field goes away.
 */
class ProcessorBrokerOutageTest {

  private static final Pattern GAUGE =
      Pattern.compile("^leakwatch_broker_unreachable_seconds(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path work;

  private HttpResponse<String> get(ProcessorRuntime p, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The gauge's value; -1 when /metrics has no such series. */
  private double unreachableSeconds(ProcessorRuntime p) throws IOException, InterruptedException {
    Matcher m = GAUGE.matcher(get(p, "/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private JsonNode readyz(ProcessorRuntime p) throws IOException, InterruptedException {
    HttpResponse<String> r = get(p, "/readyz");
    return JSON.createObjectNode().put("code", r.statusCode()).set("body", JSON.readTree(r.body()));
  }

  @Test
  void shouldReportBrokersUnreachableWhileTheBrokerIsDownAndZeroOnceItIsBack() throws Exception {
    LocalKafkaSettings s = new LocalKafkaSettings(work.resolve("kafka"), "127.0.0.1", TestConfigs.freePort(),
        TestConfigs.freePort(), Duration.ofSeconds(90),
        Map.of("offsets.topic.num.partitions", "1", "transaction.state.log.num.partitions", "1"));
    LocalKafka kafka = LocalKafka.start(s);
    try {
      ProcessorConfig cfg = ProcessorConfig.parse("applicationId: outage\nbootstrapServers: " + s.bootstrapServers()
          + "\nstateDir: " + work.resolve("state") + "\nstreamThreads: 1\nreplicationFactor: 1\n"
          + "topics:\n  partitions: 1\nhttp:\n  port: 0\nstreams:\n  reconnect.backoff.max.ms: 500\n");
      TopicBootstrap.ensureTopics(cfg);
      try (ProcessorRuntime p = new ProcessorRuntime(cfg)) {
        p.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> p.state() == KafkaStreams.State.RUNNING);
        assertEquals(0.0, unreachableSeconds(p), "a connected processor reads 0");
        assertFalse(readyz(p).path("body").has("brokers"), "no brokers field while they answer");

        kafka.close();
        await().atMost(Duration.ofSeconds(90)).until(() -> unreachableSeconds(p) > 0);
        JsonNode down = readyz(p);
        assertEquals(200, down.path("code").asInt(), "still ready: queries are answered from local stores");
        assertEquals("ready", down.path("body").path("status").asText());
        String brokers = down.path("body").path("brokers").asText();
        assertTrue(brokers.matches("unreachable for \\d+s"), brokers);

        kafka = LocalKafka.start(s);
        await().atMost(Duration.ofSeconds(120)).until(() -> unreachableSeconds(p) == 0);
        assertFalse(readyz(p).path("body").has("brokers"), "the field goes once the brokers answer again");
      }
    } finally {
      kafka.close();
    }
  }
}
