package dev.leakwatch.agent.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-reading target files as they change, driven poll by poll in virtual time. */
class FileDiscoveryTest {
  @TempDir Path dir;
  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
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
  void shouldApplyChangedFileOnNextPollAndKeepPolling() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    discovery("", "fleet.yaml").start();

    scheduler.runNext();
    assertEquals(1, applied.size(), "unchanged content is not re-applied");

    write("fleet.yaml", "- service: orders\n  urls: [http://o1:6060, http://o3:6060]\n");
    scheduler.runNext();

    assertEquals(List.of("orders/o1:6060", "orders/o3:6060"), last());
    assertEquals(1.0, reloads("ok"));
    assertEquals(3, scheduler.requested().size(), "one poll scheduled after each poll");
  }

  @Test
  void shouldKeepPreviousTargetsWhenFileBecomesMalformedAndRecoverWhenFixed() throws IOException {
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");
    FileDiscovery d = discovery("", "fleet.yaml");
    d.start();

    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n  intervl: 5s\n");
    assertFalse(d.poll());
    assertFalse(d.poll(), "the same bad content is reported once");

    assertEquals(1, applied.size());
    assertEquals(1.0, reloads("failed"));

    write("fleet.yaml", "- service: orders\n  url: http://o2:6060\n");
    assertTrue(d.poll());
    assertEquals(List.of("orders/o2:6060"), last());
  }

  @Test
  void shouldRefuseFileThatDuplicatesAStaticTarget() throws IOException {
    write("fleet.yaml", "");
    FileDiscovery d = discovery("  - service: orders\n    url: http://o1:6060\n", "fleet.yaml");
    d.start();

    write("fleet.yaml", "- service: orders\n  url: http://o1:6060/debug/pprof\n");

    assertFalse(d.poll());
    assertEquals(List.of(List.of("orders/o1:6060")), applied);
    assertEquals(1.0, reloads("failed"));
  }

  @Test
  void shouldTreatMissingFileAsEmptyUntilItAppears() throws IOException {
    FileDiscovery d = discovery("", "later.yaml");
    d.start();
    assertEquals(List.of(List.of()), applied);

    write("later.yaml", "- service: orders\n  url: http://o1:6060\n");
    assertTrue(d.poll());
    assertEquals(List.of("orders/o1:6060"), last());

    Files.delete(dir.resolve("later.yaml"));
    assertTrue(d.poll());
    assertEquals(List.of(), last());
  }

  @Test
  void shouldApplyNothingAfterClose() throws IOException {
    write("fleet.yaml", "");
    FileDiscovery d = discovery("", "fleet.yaml");
    d.start();
    write("fleet.yaml", "- service: orders\n  url: http://o1:6060\n");

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
