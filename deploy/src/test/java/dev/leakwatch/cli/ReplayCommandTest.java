package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./leakwatch replay}: exit codes and messages, and a whole corpus through a real broker. */
class ReplayCommandTest {

  @TempDir Path dir;

  private final CliRun cli = new CliRun();

  @Test
  void shouldExitWith2WhenTheCorpusDirectoryIsMissing() {
    Path missing = dir.resolve("nope");
    assertEquals(2, cli.run("replay", "--corpus", missing.toString(), "--bootstrap-servers", "127.0.0.1:1"));
    assertEquals("replay: corpus directory not found: " + missing, cli.err().trim());
  }

  @Test
  void shouldExitWith2WhenNoScenarioIsFound() {
    assertEquals(2, cli.run("replay", "--corpus", dir.toString(), "--bootstrap-servers", "127.0.0.1:1"));
    assertTrue(cli.err().contains("no scenario (directory with manifest.json) under " + dir), cli.err());
  }

  @Test
  void shouldNameAnUnknownProfileTypeInTheManifest() throws Exception {
    Path scenario = Files.createDirectories(dir.resolve("X_svc"));
    Files.writeString(scenario.resolve("manifest.json"), "{\"scenario_id\":\"X\",\"service\":\"svc\",\"label\":\"leak\","
        + "\"instances\":[{\"name\":\"i0\",\"captures\":[{\"unix_ms\":1000,\"files\":{\"cpu\":\"i0/0000-cpu.pb.gz\"}}]}]}");
    assertEquals(2, cli.run("replay", "--corpus", dir.toString(), "--bootstrap-servers", "127.0.0.1:1"));
    assertTrue(cli.err().contains("scenario X: unknown profile type 'cpu'"), cli.err());
  }

  @Test
  void shouldExitWith2NamingTheServersWhenKafkaCannotBeReached() throws Exception {
    writeOneCaptureCorpus();
    String nowhere = TestConfigs.unreachableBootstrap();
    long start = System.nanoTime();

    int code = cli.run("replay", "--corpus", dir.toString(), "--bootstrap-servers", nowhere, "--connect-timeout", "2s");

    assertEquals(2, code, cli.err());
    assertEquals("replay: cannot reach Kafka at " + nowhere + " within 2s", cli.err().trim());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0, "bounded");
  }

  @Test
  void shouldSayInOneLineWhenNoBootstrapHostResolves() throws Exception {
    writeOneCaptureCorpus();
    String nowhere = "leakwatch-nowhere.invalid:9092";
    PrintStream stderr = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = cli.run("replay", "--corpus", dir.toString(), "--bootstrap-servers", nowhere, "--connect-timeout", "2s");
    } finally {
      System.setErr(stderr);
    }

    assertEquals(2, code, cli.err());
    assertEquals("replay: cannot reach Kafka at " + nowhere + ": cannot resolve host leakwatch-nowhere.invalid",
        cli.err().trim());
    assertEquals("", logged.toString(StandardCharsets.UTF_8), "no log line besides the command's one line");
  }

  /** A corpus of one scenario with one (undecodable) heap capture: enough to get to Kafka. */
  private void writeOneCaptureCorpus() throws Exception {
    Path scenario = Files.createDirectories(dir.resolve("X_svc/i0"));
    Files.write(scenario.resolve("0000-heap.pb.gz"), new byte[] {1});
    Files.writeString(dir.resolve("X_svc/manifest.json"), "{\"scenario_id\":\"X\",\"service\":\"svc\","
        + "\"label\":\"leak\",\"instances\":[{\"name\":\"i0\",\"captures\":[{\"unix_ms\":1000,"
        + "\"files\":{\"heap\":\"i0/0000-heap.pb.gz\"}}]}]}");
  }

  @Test
  void shouldRefuseASpeedThatIsNotPositive() {
    assertEquals(2, cli.run("replay", "--corpus", dir.toString(), "--bootstrap-servers", "127.0.0.1:1", "--speed", "0"));
    assertTrue(cli.err().contains("'0' is not a speed"), cli.err());
  }

  @Test
  void shouldPublishEveryRecordedProfileAndExit0() throws Exception {
    String testdata = System.getProperty("leakwatch.testdata");
    assumeTrue(testdata != null && Files.isDirectory(Path.of(testdata, "corpus")), "testdata/corpus not available");
    Path corpus = Path.of(testdata, "corpus");
    long files;
    try (Stream<Path> s = Files.walk(corpus)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".pb.gz")).count();
    }
    try (TestBroker broker = TestBroker.start()) {
      assertEquals(0, cli.run("replay", "--corpus", corpus.toString(), "--bootstrap-servers", broker.bootstrapServers(),
          "--topic", "replayed", "--partitions", "4"), cli.err());
      assertTrue(cli.out().contains("replay: " + files + " of " + files + " profiles acknowledged by Kafka"),
          cli.out());
      assertEquals(files, broker.readAll("replayed").size());
    }
  }
}
