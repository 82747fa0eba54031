package dev.leakwatch.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.detect.DetectionPolicy;
import dev.leakwatch.detect.LivePolicy;
import dev.leakwatch.http.ProcessorMetrics;
import dev.leakwatch.processor.RulesWatch.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a running processor does with an edit of its configuration file: the judging settings are put in
 * force, the rest waits for a restart, an invalid or unreadable file changes nothing. Checks are made by
 * calling {@link RulesWatch#poll()} (two calls: a change is acted on once a second read confirms it).
 */
class RulesWatchTest {

  /** The file the processor starts with (also {@link RulesChurnTest}'s). */
  static final String START = String.join("\n",
      "applicationId: rules-test",
      "commitInterval: 200ms",
      "detection:",
      "  warmup: 2m",
      "  services:",
      "    - match: [batch-*]",
      "      warmup: 30m",
      "");

  @TempDir Path dir;
  private Path file;
  private LivePolicy live;
  private DetectionPolicy atStart;
  private ProcessorMetrics metrics;
  private RulesWatch watch;

  @BeforeEach
  void start() throws IOException {
    file = dir.resolve("processor.yaml");
    Files.writeString(file, START);
    ProcessorConfig config = ProcessorConfig.load(file);
    live = config.topology().livePolicy();
    atStart = live.get();
    metrics = new ProcessorMetrics();
    metrics.rulesInForce(atStart.digest()); // as the processor does at start
    watch = new RulesWatch(config.rules(), live, metrics);
  }

  @AfterEach
  void stop() {
    watch.close();
    metrics.close();
  }

  /** One edit: the file's new text from the start text (null deletes it), and what must come of it. */
  record Edit(String name, UnaryOperator<String> edit, Set<Outcome> outcomes, boolean batchJudged,
      Duration apiWarmup) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> edits() {
    return Stream.of(
        new Edit("a rule's judge turned off", t -> t.replace("warmup: 30m", "judge: false"),
            Set.of(Outcome.APPLIED), false, Duration.ofMinutes(2)),
        new Edit("the detection section's warmup", t -> t.replace("warmup: 2m", "warmup: 5m"),
            Set.of(Outcome.APPLIED), true, Duration.ofMinutes(5)),
        new Edit("commitInterval and windowCaptures", t -> t.replace("200ms", "1s").replace("detection:",
            "detection:\n  windowCaptures: 60"), Set.of(Outcome.RESTART_NEEDED), true, Duration.ofMinutes(2)),
        new Edit("a judge and windowCaptures", t -> t.replace("warmup: 30m", "judge: false").replace("detection:",
            "detection:\n  windowCaptures: 60"), Set.of(Outcome.APPLIED, Outcome.RESTART_NEEDED), false,
            Duration.ofMinutes(2)),
        new Edit("a judge that is no boolean", t -> t.replace("warmup: 30m", "judge: maybe"),
            Set.of(Outcome.REFUSED), true, Duration.ofMinutes(2)),
        new Edit("a valid judge beside a bad commitInterval", t -> t.replace("warmup: 30m", "judge: false")
            .replace("200ms", "soon"), Set.of(Outcome.REFUSED), true, Duration.ofMinutes(2)),
        new Edit("the file deleted", t -> null, Set.of(Outcome.REFUSED), true, Duration.ofMinutes(2)),
        new Edit("a comment added", t -> "# reviewed\n" + t, Set.of(), true, Duration.ofMinutes(2)))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void shouldPutOnlyValidJudgingChangesInForceOnceSettled(Edit e) throws IOException {
    write(e.edit().apply(START));

    assertTrue(watch.poll().settling(), "a changed content waits for a second read");
    assertSame(atStart, live.get(), "nothing changes before it settled");
    RulesWatch.Check acted = watch.poll();

    assertFalse(acted.settling());
    assertEquals(e.outcomes(), acted.outcomes());
    DetectionPolicy now = live.get();
    assertEquals(e.batchJudged(), now.judges("batch-nightly"));
    assertEquals(e.apiWarmup(), now.configFor("api").warmup());
    assertEquals(48, now.base().windowCaptures(), "a global field keeps its running value");
    if (!e.outcomes().contains(Outcome.APPLIED)) {
      assertSame(atStart, now);
    }
    for (String o : ProcessorMetrics.RELOAD_OUTCOMES) {
      int expected = e.outcomes().stream().anyMatch(x -> x.label().equals(o)) ? 1 : 0;
      assertTrue(metrics.scrape().contains("leakwatch_detection_rules_reloads_total{outcome=\"" + o + "\"} "
          + expected + ".0"), o + ": " + metrics.scrape());
    }
    assertEquals(1, metrics.scrape().split("leakwatch_detection_rules_info\\{", -1).length - 1, "one digest shown");
    assertTrue(metrics.scrape().contains("leakwatch_detection_rules_info{digest=\"" + now.digest() + "\"} 1\n"),
        metrics.scrape());

    assertEquals(Set.of(), watch.poll().outcomes(), "the same content is acted on once");
  }

  @Test
  void shouldDoNothingWhileTheFileHoldsWhatTheProcessorStartedWith() throws IOException {
    write(START);

    RulesWatch.Check c = watch.poll();

    assertFalse(c.settling());
    assertEquals(Set.of(), c.outcomes());
    assertSame(atStart, live.get());
  }

  @Test
  void shouldWaitWhileTheContentKeepsChanging() throws IOException {
    write(START.replace("warmup: 30m", "warmup: 40m"));
    assertTrue(watch.poll().settling());
    write(START.replace("warmup: 30m", "judge: false"));

    assertTrue(watch.poll().settling(), "a content read once only");
    assertSame(atStart, live.get());
    assertEquals(Set.of(Outcome.APPLIED), watch.poll().outcomes());
    assertFalse(live.get().judges("batch-nightly"));
  }

  @Test
  void shouldNameTheChangedKeysThatNeedARestart() {
    RulesChange c = RulesChange.of(YamlTree.read(START), atStart, START.replace("200ms", "1s")
        .replace("warmup: 30m", "judge: false") + "streams:\n  max.poll.records: 10\n");

    assertEquals(List.of("commitInterval", "streams.max.poll.records"), c.restartKeys());
    assertFalse(c.policy().judges("batch-nightly"));
  }

  @Test
  void shouldNeedNoRestartForAValueOnlyQuotedDifferently() {
    // the readers take every scalar by its text: "8080" and 8080, "true" and true are one setting
    String start = START + "http:\n  port: 8080\nstreams:\n  max.poll.records: 10\ntopics: {create: true}\n";
    String requoted = START.replace("warmup: 30m", "judge: false")
        + "http:\n  port: '8080'\nstreams:\n  max.poll.records: \"10\"\ntopics: {create: 'true'}\n";

    RulesChange c = RulesChange.of(YamlTree.read(start), atStart, requoted);

    assertEquals(List.of(), c.restartKeys());
    assertFalse(c.policy().judges("batch-nightly"));
    assertEquals(List.of("http.port"), RulesChange.of(YamlTree.read(start), atStart,
        requoted.replace("'8080'", "'8081'")).restartKeys(), "a changed value is still one");
  }

  @Test
  void shouldRefuseAnInvalidEditWithTheMessageTheStartUpReaderGives() {
    String edited = START.replace("warmup: 30m", "windowCaptures: 60");
    String atStartUp = assertThrows(ConfigError.class, () -> ProcessorConfig.parse(edited)).getMessage();

    RulesChange c = RulesChange.of(YamlTree.read(START), atStart, edited);

    assertEquals(atStartUp, c.refusal());
    assertEquals(null, c.policy());
  }

  @Test
  void shouldRefuseRulesThatAreInvalidOverTheRunningGlobalSettings() {
    // valid in the file (50 of 60 captures), but the running windowCaptures stays 48 until a restart
    String edited = START.replace("detection:", "detection:\n  windowCaptures: 60\n  minCaptures: 50");

    RulesChange c = RulesChange.of(YamlTree.read(START), atStart, edited);

    assertEquals(null, c.policy());
    assertEquals(List.of("detection.windowCaptures"), c.restartKeys());
    assertTrue(c.refusal().startsWith("detection.minCaptures: must be in [6, windowCaptures]"), c.refusal());
  }

  @Test
  void shouldChangeTheDigestWithTheJudgingSettingsOnly() {
    DetectionPolicy unjudged = ProcessorConfig.parse(START.replace("warmup: 30m", "judge: false")).topology()
        .detectionPolicy();
    DetectionPolicy respelled = ProcessorConfig.parse(START.replace("warmup: 30m", "warmup: PT30M")
        .replace("commitInterval: 200ms", "commitInterval: 1s\nlifecycleTick: 2m")).topology().detectionPolicy();

    assertNotEquals(atStart.digest(), unjudged.digest());
    assertEquals(atStart.digest(), respelled.digest());
    assertEquals(16, atStart.digest().length());
  }

  @Test
  void shouldReadTheIntervalWithADefaultAndOffAndRefuseANegativeOne() {
    assertEquals(RulesFile.DEFAULT_INTERVAL, ProcessorConfig.parse("{}").rules().interval());
    assertEquals(Duration.ofSeconds(5), ProcessorConfig.parse("detection: {reloadInterval: 5s}").rules().interval());
    assertFalse(ProcessorConfig.parse("detection: {reloadInterval: off}").rules().watched());
    assertEquals(Duration.ZERO, ProcessorConfig.parse("detection: {reloadInterval: 0}").rules().interval());
    assertFalse(ProcessorConfig.parse("{}").rules().watched(), "text without a file: nothing to re-read");
    assertTrue(ProcessorConfig.load(file).rules().watched());
    assertEquals("detection.reloadInterval: 'PT-1S' must be positive, or 0 / off to re-read nothing",
        assertThrows(ConfigError.class, () -> ProcessorConfig.parse("detection: {reloadInterval: PT-1S}"))
            .getMessage());
  }

  private void write(String text) throws IOException {
    if (text == null) {
      Files.delete(file);
    } else {
      Files.writeString(file, text);
    }
  }
}
