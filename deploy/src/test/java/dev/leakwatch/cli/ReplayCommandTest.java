package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.agent.testing.TestBroker;
import dev.leakwatch.agent.testing.TestConfigs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./leakwatch replay}: exit codes and messages, and a whole corpus through a real broker. */
class ReplayCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = LeakwatchCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void shouldExitWith2WhenTheCorpusDirectoryIsMissing() {
    Path missing = dir.resolve("nope");
    assertEquals(2, run("replay", "--corpus", missing.toString(), "--bootstrap-servers", "127.0.0.1:1"));
    assertEquals("replay: corpus directory not found: " + missing, err.toString().trim());
  }

  @Test
  void shouldExitWith2WhenNoScenarioIsFound() {
    assertEquals(2, run("replay", "--corpus", dir.toString(), "--bootstrap-servers", "127.0.0.1:1"));
    assertTrue(err.toString().contains("no scenario (directory with manifest.json) under " + dir), err.toString());
  }

  @Test
  void shouldNameAnUnknownProfileTypeInTheManifest() throws Exception {
    Path scenario = Files.createDirectories(dir.resolve("X_svc"));
    Files.writeString(scenario.resolve("manifest.json"), "{\"scenario_id\":\"X\",\"service\":\"svc\",\"label\":\"leak\","
        + "\"instances\":[{\"name\":\"i0\",\"captures\":[{\"unix_ms\":1000,\"files\":{\"cpu\":\"i0/0000-cpu.pb.gz\"}}]}]}");
    assertEquals(2, run("replay", "--corpus", dir.toString(), "--bootstrap-servers", "127.0.0.1:1"));
    assertTrue(err.toString().contains("scenario X: unknown profile type 'cpu'"), err.toString());
  }

  @Test
  void shouldExitWith2NamingTheServersWhenKafkaCannotBeReached() throws Exception {
    Path scenario = Files.createDirectories(dir.resolve("X_svc/i0"));
    Files.write(scenario.resolve("0000-heap.pb.gz"), new byte[] {1});
    Files.writeString(dir.resolve("X_svc/manifest.json"), "{\"scenario_id\":\"X\",\"service\":\"svc\","
        + "\"label\":\"leak\",\"instances\":[{\"name\":\"i0\",\"captures\":[{\"unix_ms\":1000,"
        + "\"files\":{\"heap\":\"i0/0000-heap.pb.gz\"}}]}]}");
    String nowhere = TestConfigs.unreachableBootstrap();
    long start = System.nanoTime();

    int code = run("replay", "--corpus", dir.toString(), "--bootstrap-servers", nowhere, "--connect-timeout", "2s");

    assertEquals(2, code, err.toString());
    assertEquals("replay: cannot reach Kafka at " + nowhere + " within 2s", err.toString().trim());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(15)) < 0, "bounded");
  }

  @Test
  void shouldRefuseASpeedThatIsNotPositive() {
    assertEquals(2, run("replay", "--corpus", dir.toString(), "--bootstrap-servers", "127.0.0.1:1", "--speed", "0"));
    assertTrue(err.toString().contains("'0' is not a speed"), err.toString());
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
      assertEquals(0, run("replay", "--corpus", corpus.toString(), "--bootstrap-servers", broker.bootstrapServers(),
          "--topic", "replayed", "--partitions", "4"), err.toString());
      assertTrue(out.toString().contains("replay: " + files + " of " + files + " profiles acknowledged by Kafka"),
          out.toString());
      assertEquals(files, broker.readAll("replayed").size());
    }
  }
}
