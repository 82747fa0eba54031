package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.processor.ProcessorConfig;
import dev.leakwatch.processor.ProcessorRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `processor` refuses what it cannot run with exit code 2 and a message, never a stack trace. */
class ProcessorCommandTest {

  @TempDir Path dir;

  @Test
  void shouldExitWith2NamingTheProblemWhenKafkaRefusesAStreamsSetting() throws Exception {
    Path cfg = dir.resolve("processor.yaml");
    Files.writeString(cfg, "bootstrapServers: 127.0.0.1:1\nstateDir: " + dir.resolve("state")
        + "\ntopics: {create: false}\nhttp: {port: 0}\nstreams: {default.timestamp.extractor: no.such.Extractor}\n");
    Run r = runCapturingSystemErr("processor", "--config", cfg.toString());
    String text = r.err();
    assertEquals(2, r.code(), text);
    assertTrue(text.contains("processor: ") && text.contains("no.such.Extractor"), text);
    assertTrue(!text.contains("\tat "), "no stack trace: " + text);
  }

  @Test
  void shouldExitWith2NamingAMisspeltStreamsKeyAndTheKeyToUse() throws Exception {
    Path cfg = dir.resolve("processor.yaml");
    Files.writeString(cfg, "bootstrapServers: 127.0.0.1:1\ntopics: {create: false}\nstreams: {comit.interval.ms: 500}\n");
    Run r = runCapturingSystemErr("processor", "--config", cfg.toString());
    String text = r.err().trim();
    assertEquals(2, r.code(), text);
    assertTrue(text.startsWith("processor: bad configuration " + cfg + ": streams.comit.interval.ms: not a setting"),
        text);
    assertTrue(text.contains("did you mean 'commitInterval'?"), text);
    assertEquals(-1, text.indexOf('\n'), "one line, no stack trace: " + text);
  }

  @Test
  void shouldExitWith2NamingTheStateDirectoryWhenItCannotBeCreated() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    for (Path state : new Path[] {file.resolve("state"), file}) {
      Path cfg = Files.writeString(dir.resolve("processor.yaml"), "bootstrapServers: 127.0.0.1:1\nstateDir: " + state
          + "\ntopics: {create: false}\nhttp: {port: 0}\n");
      Run r = runCapturingSystemErr("processor", "--config", cfg.toString());
      String text = r.err();
      assertEquals(2, r.code(), text);
      assertTrue(text.contains("processor: cannot create the state directory " + state + ": "), text);
      assertTrue(!text.contains("\tat "), "no stack trace: " + text);
    }
  }

  @Test
  void shouldExitWith1InOneLineAndFreeThePortAndTheStateDirectoryWhenAStoreCannotBeOpened() throws Exception {
    // a store RocksDB cannot open (its CURRENT file damaged, as by a disk fault) fails start(), not the
    // constructor: Streams opens the stores of the state directory's tasks when it starts
    Path state = dir.resolve("state");
    Path store = Files.createDirectories(state.resolve("damaged/0_0/rocksdb/instance-series"));
    Files.writeString(store.resolve("CURRENT"), "damaged");
    int port = TestConfigs.freePort();
    try (TestBroker broker = TestBroker.start()) {
      String yaml = "applicationId: damaged\nbootstrapServers: " + broker.bootstrapServers() + "\nstateDir: " + state
          + "\nreplicationFactor: 1\nhttp: {port: " + port + "}\n";
      Path cfg = Files.writeString(dir.resolve("processor.yaml"), yaml);
      Run r = runCapturingSystemErr("processor", "--config", cfg.toString());
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().contains("processor: cannot start: Error opening store instance-series at location " + store),
          r.err());
      assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
      // nothing is held: a processor can bind the same port and lock the same state directory
      try (ProcessorRuntime again = new ProcessorRuntime(ProcessorConfig.parse(yaml))) {
        assertEquals(port, again.httpPort());
      }
    }
  }

  @Test
  void shouldExitWith2NamingTheMissingTopicsAndHoldNothingWhenTopicCreationIsOff() throws Exception {
    int port = TestConfigs.freePort();
    try (TestBroker broker = TestBroker.start()) { // a broker that does not create topics on its own
      broker.createTopic("leakwatch.profiles", 1);
      String yaml = "bootstrapServers: " + broker.bootstrapServers() + "\nstateDir: " + dir.resolve("state")
          + "\ntopics: {create: false}\nhttp: {port: " + port + "}\n";
      Path cfg = Files.writeString(dir.resolve("processor.yaml"), yaml);
      Run r = runCapturingSystemErr("processor", "--config", cfg.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("processor: topics missing on " + broker.bootstrapServers()
          + ": leakwatch.profiles.dlq, leakwatch.leak-suspects, leakwatch.profiles.processed (topics.create is false"),
          r.err());
      assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
      // nothing is held: a processor can bind the same port and lock the same state directory
      try (ProcessorRuntime again = new ProcessorRuntime(ProcessorConfig.parse(yaml))) {
        assertEquals(port, again.httpPort());
      }
    }
  }

  @Test
  void shouldExitWith2NamingTheTopicsTooSmallForItsRecordsAndHoldNothingWhenTheyWereMadeWithTheBrokerDefault()
      throws Exception {
    int port = TestConfigs.freePort();
    try (TestBroker broker = TestBroker.start()) {
      // made by hand with the broker's 1 MB default: a dead letter of a 3 MB bad input would stop the
      // processor at that input, again after every restart
      for (String topic : new String[] {"leakwatch.profiles", "leakwatch.profiles.dlq", "leakwatch.leak-suspects",
          "leakwatch.profiles.processed"}) {
        broker.createTopic(topic, 1);
      }
      String yaml = "bootstrapServers: " + broker.bootstrapServers() + "\nstateDir: " + dir.resolve("state")
          + "\ntopics: {create: false}\nhttp: {port: " + port + "}\n";
      Path cfg = Files.writeString(dir.resolve("processor.yaml"), yaml);
      Run r = runCapturingSystemErr("processor", "--config", cfg.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("processor: topics on " + broker.bootstrapServers() + " too small for the records"
          + " the processor writes (max.message.bytes): leakwatch.profiles.dlq has 1048588, needs 17891328;"
          + " leakwatch.leak-suspects has 1048588, needs 16777216 ("), r.err());
      assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
      try (ProcessorRuntime again = new ProcessorRuntime(ProcessorConfig.parse(yaml))) {
        assertEquals(port, again.httpPort());
      }
    }
  }

  @Test
  void shouldReportAMissingConfigFileInOneLine() {
    Path missing = dir.resolve("nope.yaml");
    Run r = runCapturingSystemErr("processor", "--config", missing.toString());
    assertEquals(2, r.code());
    assertEquals("processor: cannot read " + missing + ": no such file", r.err().trim());
  }

  private record Run(int code, String err) {}

  /** The processor command reports on {@code System.err} (its logging goes there too): captured. */
  private static Run runCapturingSystemErr(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(LeakwatchCli.commandLine().execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }
}
