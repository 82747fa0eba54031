package dev.leakwatch.agent.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.testing.ManualScheduler;
import dev.leakwatch.agent.testing.TestConfigs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.leakwatch.agent.discovery.FileDiscovery.Check;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Re-reading target files as they change, driven poll by poll in virtual time: a change is applied
 * once the same content is read at two checks in a row.
 */
class FileDiscoveryTest {
  @TempDir Path dir;
  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static final Duration SECONDS_5 = Duration.ofSeconds(5);
  /** The default settle delay (the refresh interval here is longer). */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  private final List<List<String>> applied = new ArrayList<>();

  private FileDiscovery discovery(String staticTargets, String... files) {
    StringBuilder yaml = new StringBuilder(TestConfigs.kafka("localhost:9092"));
    yaml.append("discovery:\n  refreshInterval: 5s\n  files: [")
        .append(String.join(", ", files))
        .append("]\n");
    if (!staticTargets.isEmpty()) {
      yaml.append("targets:\n").append(staticTargets);
    }
    AgentConfig cfg = TestConfigs.parse(yaml.toString(), dir);
    return new FileDiscovery(
        cfg.discovery(), new TargetParser(cfg.scrape()), cfg.targets(),
        targets -> applied.add(keys(targets)), scheduler, new AgentMetrics(registry));
  }

  private static List<String> keys(List<Target> targets) {
    return targets.stream().map(t -> t.id().recordKey()).collect(Collectors.toList());
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }

  private List<String> last() {
    return applied.get(applied.size() - 1);
  }

  private double reloads(String outcome) {
    var c = registry.find("leakwatch.agent.discovery.reloads").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void shouldExportBothReloadOutcomesAtZeroBeforeTheFirstChangeWhenWatchingFiles() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    discovery("", "fleet.yaml").start();

    // a series that first appears at 1 shows no increase(): the first refused file would go unseen
    for (String outcome : List.of("ok", "failed")) {
      var c = registry.find("leakwatch.agent.discovery.reloads").tag("outcome", outcome).counter();
      assertTrue(c != null && c.count() == 0, "outcome " + outcome + " exported at 0");
    }
  }

  @Test
  void shouldExportNoReloadCountsWhenThereAreNoTargetFiles() {
    discovery("  - service: static\n    url: http://s:6060\n").start();

    assertTrue(registry.find("leakwatch.agent.discovery.reloads").counters().isEmpty());
  }

  @Test
  void shouldStartWithStaticTargetsPlusEveryFile() throws IOException {
    write("a.yaml", "- service: orders\n  urls: [http://o1:6060, http://o2:6060]\n");
    write("b.json", "[{\"service\": \"cart\", \"url\": \"http://c1:6060\"}]");
    discovery("  - service: static\n    url: http://s:6060\n", "a.yaml", "b.json").start();

    assertEquals(
        List.of(List.of("static/s:6060", "orders/o1:6060", "orders/o2:6060", "cart/c1:6060")),
        applied);
    assertEquals(List.of(Duration.ofSeconds(5)), scheduler.requested());
  }

  @Test
  void shouldApplyChangedFileOnceSettledAndKeepPolling() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    discovery("", "fleet.yaml").start();

    scheduler.runNext();
    assertEquals(1, applied.size(), "unchanged content is not re-applied");

    write("fleet.yaml", "- service: orders\n  urls: [http://o1:6060, http://o3:6060]\n");
    scheduler.runNext();
    assertEquals(1, applied.size(), "a change seen once is not applied yet");
    scheduler.runNext();

    assertEquals(List.of("orders/o1:6060", "orders/o3:6060"), last());
    assertEquals(1.0, reloads("ok"));
    assertEquals(
        List.of(SECONDS_5, SECONDS_5, SETTLE, SECONDS_5),
        scheduler.requested(),
        "the check after a change comes the settle delay later, then the interval again");
  }

  @Test
  void shouldNotApplyFileWhileAnotherProcessIsStillWritingIt() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n  instance: i-1\n");
    discovery("", "fleet.yaml").start();
    String full =
        "- service: orders\n  url: http://o1:6060\n  instance: i-1\n"
            + "- service: orders\n  url: http://o2:6060\n  instance: i-123\n"
            + "- service: orders\n  url: http://o3:6060\n  instance: i-456\n";
    // cut inside the second entry's instance: the first half still parses, as 'instance: i'
    int cut = full.indexOf("i-123") + 1;

    try (FileChannel out =
        FileChannel.open(
            dir.resolve("fleet.yaml"),
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.wrap(full.substring(0, cut).getBytes(StandardCharsets.UTF_8)));
      out.force(true);
      scheduler.runNext(); // the regular check, with the first half on disk

      out.write(ByteBuffer.wrap(full.substring(cut).getBytes(StandardCharsets.UTF_8)));
      out.force(true);
    }
    scheduler.runNext(); // the settle check sees more bytes: not settled yet
    assertEquals(List.of(List.of("orders/i-1")), applied, "nothing applied while being written");

    scheduler.runNext(); // the same bytes again
    assertEquals(
        List.of(List.of("orders/i-1"), List.of("orders/i-1", "orders/i-123", "orders/i-456")),
        applied);
    assertEquals(1.0, reloads("ok"));
  }

  @Test
  void shouldApplyAtomicReplacementAtNextCheckPlusSettleDelay() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    discovery("", "fleet.yaml").start();

    write("fleet.yaml.tmp", "- service: orders\n  url: http://o2:6060\n");
    Files.move(
        dir.resolve("fleet.yaml.tmp"), dir.resolve("fleet.yaml"), StandardCopyOption.ATOMIC_MOVE);
    scheduler.runNext();
    scheduler.runNext();

    assertEquals(List.of("orders/o2:6060"), last());
    assertEquals(List.of(SECONDS_5, SETTLE, SECONDS_5), scheduler.requested());
  }

  @Test
  void shouldKeepPreviousTargetsWhenFileBecomesMalformedAndRecoverWhenFixed() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    FileDiscovery d = discovery("", "fleet.yaml");
    d.start();

    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n  intervl: 5s\n");
    assertEquals(Check.UNSETTLED, d.poll());
    assertEquals(Check.REFUSED, d.poll());
    assertEquals(Check.UNCHANGED, d.poll(), "the same bad content is reported once");

    assertEquals(1, applied.size());
    assertEquals(1.0, reloads("failed"));

    write("fleet.yaml", "- service: orders\n  url: http://o2:6060\n");
    assertEquals(Check.UNSETTLED, d.poll());
    assertEquals(Check.APPLIED, d.poll());
    assertEquals(List.of("orders/o2:6060"), last());
  }

  /**
   * Mistakes in an edit that still parse as YAML: a pasted second {@code url:} (the last one would
   * silently win) and a mistyped port (a target that could never be scraped would replace the
   * running one).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "- service: orders\n  url: http://o1:6060\n  url: http://o9:6060\n",
        "- service: orders\n  url: http://o1:60600\n- service: billing\n  url: http://b1:606000\n",
      })
  void shouldKeepTheRunningTargetWhenAReloadedFileHasAMistakeThatStillParses(String edited)
      throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    FileDiscovery d = discovery("", "fleet.yaml");
    d.start();

    write("fleet.yaml", edited);
    assertEquals(Check.UNSETTLED, d.poll());
    assertEquals(Check.REFUSED, d.poll());

    assertEquals(List.of(List.of("orders/o1:6060")), applied);
    assertEquals(1.0, reloads("failed"));
  }

  @Test
  void shouldRefuseFileThatDuplicatesAStaticTarget() throws IOException {
    write("fleet.yaml", "");
    FileDiscovery d = discovery("  - service: orders\n    url: http://o1:6060\n", "fleet.yaml");
    d.start();

    write("fleet.yaml", "- service: orders\n  url: http://o1:6060/debug/pprof\n");

    assertEquals(Check.UNSETTLED, d.poll());
    assertEquals(Check.REFUSED, d.poll());
    assertEquals(List.of(List.of("orders/o1:6060")), applied);
    assertEquals(1.0, reloads("failed"));
  }

  @Test
  void shouldTreatMissingFileAsEmptyUntilItAppears() throws IOException {
    FileDiscovery d = discovery("", "later.yaml");
    d.start();
    assertEquals(List.of(List.of()), applied);

    write("later.yaml", "- service: orders\n  url: http://o1:6060\n");
    assertEquals(Check.UNSETTLED, d.poll());
    assertEquals(Check.APPLIED, d.poll());
    assertEquals(List.of("orders/o1:6060"), last());

    Files.delete(dir.resolve("later.yaml"));
    assertEquals(Check.UNSETTLED, d.poll());
    assertEquals(Check.APPLIED, d.poll());
    assertEquals(List.of(), last());
  }

  @Test
  void shouldApplyNothingAfterClose() throws IOException {
    write("fleet.yaml", "");
    FileDiscovery d = discovery("", "fleet.yaml");
    d.start();
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    d.poll();

    d.close();
    d.poll();

    assertEquals(List.of(List.of()), applied);
    assertEquals(0.0, reloads("ok"));
  }

  @Test
  void shouldFailFastWhenFileIsMalformedAtStart() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: nope\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> discovery("", "fleet.yaml").start());
    assertTrue(
        e.getMessage().startsWith(dir.resolve("fleet.yaml") + "[0].url: 'nope' must be an http(s) URL"),
        e.getMessage());
  }

  @Test
  void shouldStopPollingAfterClose() throws IOException {
    write("fleet.yaml", "");
    FileDiscovery d = discovery("", "fleet.yaml");
    d.start();
    d.close();
    assertEquals(0, scheduler.pendingCount());
  }
}
