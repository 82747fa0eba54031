package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.local.LocalKafka;
import dev.leakwatch.local.LocalKafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./leakwatch replay --no-create-topic}: a missing topic is refused, not created by the broker. */
class ReplayNoCreateTopicTest {

  @TempDir Path dir;

  @Test
  void shouldExitWith2AndLeaveTheTopicUncreatedWhenItIsMissing() throws Exception {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null && Files.isDirectory(Path.of(testdata, "corpus")), "testdata/corpus not available");
    // the broker of ./leakwatch kafka, which auto-creates topics as Kafka does by default
    LocalKafkaSettings settings = new LocalKafkaSettings(dir.resolve("kafka"), "127.0.0.1", TestConfigs.freePort(),
        TestConfigs.freePort(), Duration.ofSeconds(90), Map.of());
    try (LocalKafka kafka = LocalKafka.start(settings)) {
      CliRun cli = new CliRun();
      int code = cli.run("replay", "--corpus", Path.of(testdata, "corpus").toString(), "--bootstrap-servers",
          kafka.bootstrapServers(), "--topic", "profiles.not.made", "--no-create-topic", "--delivery-timeout", "5s");

      assertEquals(2, code, cli.err());
      assertEquals("replay: no topic profiles.not.made on " + kafka.bootstrapServers(), cli.err().trim());
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertFalse(topics.contains("profiles.not.made"), topics.toString());
      }
    }
  }
}
