package dev.leakwatch.agent.discovery;

import static dev.leakwatch.agent.testing.TestPods.pod;
import static dev.leakwatch.agent.testing.TestPods.scraped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.discovery.PodOutcome.SkipReason;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.agent.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pod-to-target table of docs/INGEST.md, "Kubernetes discovery", row by row. */
class PodTargetsTest {
  private static final PodTargets POD_TARGETS =
      new PodTargets(
          new TargetParser(TestConfigs.scrapeDefaults()),
          Map.of("team", "team", "version", "app.kubernetes.io/version"));

  static Stream<Arguments> targets() {
    return Stream.of(
        row("annotated port, default scheme and path",
            scraped("prod", "api-0"), "prod.api-0", "http://10.0.0.1:6060/debug/pprof"),
        row("the container port named pprof",
            scraped("prod", "api-0").withoutAnnotation("port").port(0, "http", 8080).port(0, "pprof", 7070),
            "prod.api-0", "http://10.0.0.1:7070/debug/pprof"),
        row("the annotation wins over the named port",
            scraped("prod", "api-0").port(0, "pprof", 7070), "prod.api-0", "http://10.0.0.1:6060/debug/pprof"),
        row("scheme and path annotations",
            scraped("prod", "api-0").annotate("scheme", "https").annotate("path", "/internal/pprof/"),
            "prod.api-0", "https://10.0.0.1:6060/internal/pprof"),
        row("an IPv6 pod IP in brackets",
            scraped("prod", "api-0").ip("fd00::7"), "prod.api-0", "http://[fd00::7]:6060/debug/pprof"),
        row("service annotation verbatim",
            scraped("prod", "api-0").annotate("service", "Orders API").label("app", "x"),
            "Orders API", "http://10.0.0.1:6060/debug/pprof"),
        row("workload from app.kubernetes.io/name before app",
            scraped("prod", "api-0").label("app", "old").label("app.kubernetes.io/name", "orders"),
            "prod.orders", "http://10.0.0.1:6060/debug/pprof"),
        row("workload from app",
            scraped("staging", "api-0").label("app", "orders"), "staging.orders", "http://10.0.0.1:6060/debug/pprof"),
        row("a ReplicaSet's Deployment",
            scraped("prod", "orders-7d9f8-x2x").label("pod-template-hash", "7d9f8").owner("ReplicaSet", "orders-7d9f8"),
            "prod.orders", "http://10.0.0.1:6060/debug/pprof"),
        row("a StatefulSet by its name",
            scraped("prod", "db-0").owner("StatefulSet", "db"), "prod.db", "http://10.0.0.1:6060/debug/pprof"),
        row("a Job by its name",
            scraped("prod", "nightly-1-abc").owner("Job", "nightly-1"), "prod.nightly-1", "http://10.0.0.1:6060/debug/pprof"),
        row("a ReplicaSet without its hash label, by its name",
            scraped("prod", "rs-abc").owner("ReplicaSet", "rs"), "prod.rs", "http://10.0.0.1:6060/debug/pprof"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void shouldMakeTheTargetTheAnnotationsDescribe(
      String row, TestPods pod, String service, String url) {
    Target t = POD_TARGETS.outcome(pod.build()).target();
    assertEquals(service, t.id().service());
    assertEquals(pod.build().path("metadata").path("name").asText(), t.id().instance());
    assertEquals(url, t.pprofBase().toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void shouldLabelEveryTargetWithNamespaceNodeAndTheMappedPodLabels(String row, TestPods pod) {
    Target t =
        POD_TARGETS.outcome(pod.node("n7").label("team", "payments").label("ignored", "x").build()).target();
    String ns = pod.build().path("metadata").path("namespace").asText();
    assertEquals(Map.of("namespace", ns, "node", "n7", "team", "payments"), t.labels());
  }

  static Stream<Arguments> memoryLimits() {
    return Stream.of(
        Arguments.of("the annotation", scraped("p", "a").memoryLimit(0, "1Gi").annotate("memory-limit", "256Mi"), 256L << 20),
        Arguments.of("the only container's limit", scraped("p", "a").memoryLimit(0, "1.5Gi"), 3L << 29),
        Arguments.of("the container declaring the annotated port",
            scraped("p", "a").memoryLimit(0, "1Gi").container("go").port(1, "metrics", 6060).memoryLimit(1, "512Mi"),
            512L << 20),
        Arguments.of("the container declaring the pprof port",
            scraped("p", "a").withoutAnnotation("port").container("go").port(1, "pprof", 6060).memoryLimit(1, "2G"),
            2_000_000_000L),
        Arguments.of("none: several containers, none declares the port",
            scraped("p", "a").memoryLimit(0, "1Gi").container("sidecar"), null),
        Arguments.of("none: no limit set", scraped("p", "a"), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("memoryLimits")
  void shouldTakeTheMemoryLimitOfTheContainerServingThePort(String row, TestPods pod, Long bytes) {
    assertEquals(bytes, POD_TARGETS.outcome(pod.build()).target().memoryLimitBytes());
  }

  static Stream<Arguments> skipped() {
    return Stream.of(
        Arguments.of("no port", scraped("p", "a").withoutAnnotation("port").port(0, "http", 80), SkipReason.NO_PORT),
        Arguments.of("port not a number", scraped("p", "a").annotate("port", "http"), SkipReason.BAD_ANNOTATION),
        Arguments.of("port out of range", scraped("p", "a").annotate("port", "70000"), SkipReason.BAD_ANNOTATION),
        Arguments.of("unknown scheme", scraped("p", "a").annotate("scheme", "grpc"), SkipReason.BAD_ANNOTATION),
        Arguments.of("relative path", scraped("p", "a").annotate("path", "debug"), SkipReason.BAD_ANNOTATION),
        Arguments.of("unknown profile", scraped("p", "a").annotate("profiles", "heap,cpu"), SkipReason.BAD_ANNOTATION),
        Arguments.of("bad interval", scraped("p", "a").annotate("interval", "soon"), SkipReason.BAD_ANNOTATION),
        Arguments.of("bad memory annotation", scraped("p", "a").annotate("memory-limit", "1GB"), SkipReason.BAD_MEMORY_LIMIT),
        Arguments.of("bad container limit", scraped("p", "a").memoryLimit(0, "lots"), SkipReason.BAD_MEMORY_LIMIT),
        Arguments.of("service with /", scraped("p", "a").annotate("service", "a/b"), SkipReason.BAD_NAME),
        Arguments.of("label value too long", scraped("p", "a").label("team", "x".repeat(1025)), SkipReason.BAD_LABEL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("skipped")
  void shouldSkipAPodWithTheReasonWhenAValueCannotBeUsed(String row, TestPods pod, SkipReason reason) {
    PodOutcome o = POD_TARGETS.outcome(pod.build());
    assertEquals(reason, o.reason(), o.detail());
    assertTrue(o.detail().startsWith("pod p/a: "), o.detail());
  }

  static Stream<Arguments> notTargets() {
    return Stream.of(
        Arguments.of("not opted in", pod("p", "a").annotate("port", "6060"), null),
        Arguments.of("opted in with another value", scraped("p", "a").annotate("scrape", "yes"), null),
        Arguments.of("pending", scraped("p", "a").phase("Pending"), PodOutcome.WAITING),
        Arguments.of("succeeded", scraped("p", "a").phase("Succeeded"), PodOutcome.WAITING),
        Arguments.of("running without an IP yet", scraped("p", "a").ip(""), PodOutcome.WAITING),
        Arguments.of("running but terminating", scraped("p", "a").terminating(), PodOutcome.WAITING));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notTargets")
  void shouldKeepNothingForPodsNotOptedInAndWaitForPodsNotRunning(
      String row, TestPods pod, PodOutcome expected) {
    assertSame(expected, POD_TARGETS.outcome(pod.build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void shouldApplyProfilesAndIntervalAnnotationsOverTheScrapeDefaults(String row, TestPods pod) {
    Target t =
        POD_TARGETS.outcome(pod.annotate("profiles", "heap, goroutine").annotate("interval", "15s").build())
            .target();
    assertEquals(List.of(ProfileKind.HEAP, ProfileKind.GOROUTINE), t.profiles());
    assertEquals(Duration.ofSeconds(15), t.interval());
    assertNull(POD_TARGETS.outcome(pod("p", "a").build()));
  }

  private static Arguments row(String name, TestPods pod, String service, String url) {
    return Arguments.of(name, pod, service, url);
  }
}
