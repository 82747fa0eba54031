package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.local.LocalKafka;
import dev.leakwatch.local.LocalKafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./leakwatch kafka tail} looks at a topic without creating it. */
class KafkaTailCommandTest {

  @TempDir Path dir;

  @Test
  void shouldExitWith2AndCreateNothingWhenTheTopicDoesNotExist() throws Exception {
    // the broker of ./leakwatch kafka, which auto-creates topics as Kafka does by default
    LocalKafkaSettings settings = new LocalKafkaSettings(dir.resolve("kafka"), "127.0.0.1", TestConfigs.freePort(),
        TestConfigs.freePort(), Duration.ofSeconds(90), Map.of());
    try (LocalKafka kafka = LocalKafka.start(settings)) {
      CliRun cli = new CliRun();
      int code = cli.run("kafka", "tail", "--bootstrap-servers", kafka.bootstrapServers(), "--topic",
          "leakwatch.profiles.typo", "--max", "0");

      assertEquals(2, code, cli.err());
      assertEquals("leakwatch kafka tail: no topic leakwatch.profiles.typo on " + kafka.bootstrapServers(),
          cli.err().trim());
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertFalse(topics.contains("leakwatch.profiles.typo"), topics.toString());
      }
    }
  }
}
