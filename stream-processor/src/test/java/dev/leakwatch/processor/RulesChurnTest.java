package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.LivePolicy;
import dev.leakwatch.http.ProcessorMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules file rewritten a hundred times, alternating valid rules with an invalid edit: every
 * reload acts once, {@code leakwatch_detection_rules_info} keeps one series (the rules in force),
 * the exposition does not grow, and each refusal is one log line. Driven by {@link RulesWatch#poll()}
 * (two reads per edit: a change is acted on once a second read confirms it).
 */
class RulesChurnTest {
  private static final int EDITS = 100;
  /** Two valid rule sets, each followed by the same invalid edit (a judge that is no boolean). */
  private static final List<String> CONTENTS = List.of(
      RulesWatchTest.START.replace("warmup: 30m", "judge: false"),
      RulesWatchTest.START.replace("warmup: 30m", "judge: maybe"),
      RulesWatchTest.START.replace("warmup: 2m", "warmup: 5m"),
      RulesWatchTest.START.replace("warmup: 30m", "judge: maybe"));

  @TempDir Path dir;

  @Test
  void shouldKeepOneRulesSeriesAndALogLinePerRefusalWhenTheRulesAlternateWithAnInvalidEdit()
      throws Exception {
    Path file = dir.resolve("processor.yaml");
    Files.writeString(file, RulesWatchTest.START);
    ProcessorConfig config = ProcessorConfig.load(file);
    LivePolicy live = config.topology().livePolicy();
    PrintStream stderr = System.err; // where slf4j-simple writes
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ProcessorMetrics metrics = new ProcessorMetrics();
        RulesWatch watch = new RulesWatch(config.rules(), live, metrics)) {
      metrics.rulesInForce(live.get().digest()); // as the processor does at start
      int lines = metrics.scrape().split("\n").length;

      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        for (int i = 0; i < EDITS; i++) {
          Path tmp = dir.resolve("processor.yaml.tmp");
          Files.writeString(tmp, CONTENTS.get(i % CONTENTS.size()));
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          assertTrue(watch.poll().settling());
          assertEquals(1, watch.poll().outcomes().size(), "edit " + i + " acted on once");
        }
      } finally {
        System.setErr(stderr);
      }

      String scrape = metrics.scrape();
      assertEquals(lines, scrape.split("\n").length, "the exposition did not grow");
      assertEquals(1, scrape.split("leakwatch_detection_rules_info\\{", -1).length - 1, "one digest shown");
      assertTrue(scrape.contains("leakwatch_detection_rules_info{digest=\"" + live.get().digest() + "\"} 1\n"));
      assertTrue(scrape.contains("leakwatch_detection_rules_reloads_total{outcome=\"applied\"} " + EDITS / 2 + ".0"));
      assertTrue(scrape.contains("leakwatch_detection_rules_reloads_total{outcome=\"refused\"} " + EDITS / 2 + ".0"));
      long refusals = log.toString(StandardCharsets.UTF_8).lines()
          .filter(l -> l.contains("RulesWatch") && l.contains("not reloaded")).count();
      assertEquals(EDITS / 2, refusals, "one line per refused edit");
    }
  }
}
