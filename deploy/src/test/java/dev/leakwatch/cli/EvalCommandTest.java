package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./leakwatch eval}: what it says besides the scores. */
class EvalCommandTest {

  @TempDir Path temp;

  @Test
  void shouldNameTheRuleThatLeavesAScenariosServiceUnjudged() throws IOException {
    CliRun cli = evalG("- match: [session-*]", "  judge: false");
    assertTrue(cli.err().contains("eval: G (session-store) is covered by detection.services[0]: services "
        + "[session-*] not judged"), cli.err());
  }

  @Test
  void shouldSayNothingOfRulesWhenNoneCoversAScenario() throws IOException {
    CliRun cli = evalG("- match: [orders-*]", "  warmup: 30m");
    assertTrue(!cli.err().contains("is covered by"), cli.err());
  }

  /** Runs eval on the recorded scenario G alone, with one {@code detection.services} rule (its lines). */
  private CliRun evalG(String... rule) throws IOException {
    Path corpus = temp.resolve("corpus");
    copy(Path.of(System.getProperty("leakwatch.testdata"), "corpus", "G_session-store"),
        corpus.resolve("G_session-store"));
    StringBuilder yaml = new StringBuilder("detection:\n  services:\n");
    for (String line : rule) {
      yaml.append("    ").append(line).append('\n');
    }
    Path config = Files.writeString(temp.resolve("processor.yaml"), yaml);
    CliRun cli = new CliRun();
    assertEquals(0, cli.run("eval", "--corpus", corpus.toString(), "--config", config.toString()), cli.err());
    return cli;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
