package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Configuration errors that only show when the agent starts: reported like those found on
 * loading, naming the setting, with nothing the failed start began left running.
 */
class AgentStartTest {
  /** The producer's settings come last, so a case can append one. */
  private static final String KAFKA =
      "kafka:\n  createTopic: false\n  client:\n    bootstrap.servers: 127.0.0.1:1\n";

  @TempDir Path dir;

  /** Live threads an agent starts: the publisher, the scrape scheduler, the producer's I/O. */
  private static Set<Thread> agentThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("leakwatch-") || t.getName().startsWith("kafka-"))
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed discovery file | 'discovery: {files: [fleet.yaml]}'"
            + " | fleet.yaml[0].url: 'nope' must be an http(s) URL",
        "size where the client wants bytes | '    buffer.memory: 64MiB'"
            + " | kafka.client: Invalid value 64MiB for configuration buffer.memory:"
            + " Not a number of type LONG",
        "value the client refuses | '    acks: sometimes'"
            + " | kafka.client: Invalid value sometimes for configuration acks:"
            + " String must be one of: all, -1, 0, 1",
      })
  void shouldReportConfigErrorFoundAtStartAndStopWhatItStarted(
      String what, String yaml, String expected) throws IOException {
    Files.writeString(dir.resolve("fleet.yaml"), "- service: orders\n  url: nope\n");
    Set<Thread> before = agentThreads();

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> Agent.start(TestConfigs.parse(KAFKA + yaml + "\n", dir)));

    String message = e.getMessage().replace(dir.resolve("fleet.yaml").toString(), "fleet.yaml");
    assertTrue(message.startsWith(expected), "got: " + message);
    await().until(() -> before.containsAll(agentThreads()));
  }
}
