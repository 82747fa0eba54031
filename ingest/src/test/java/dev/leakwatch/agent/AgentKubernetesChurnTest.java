package dev.leakwatch.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.testing.AgentBaseline;
import dev.leakwatch.agent.testing.FakeKubernetes;
import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.agent.testing.TestPods;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes discovery churn through a whole agent, against the API server's protocol double (not a
 * real API server): pods created and deleted round after round (served by a Go fixture, unreachable,
 * refused for a bad annotation, or not running yet), the watch expiring with 410 Gone every tenth
 * round and the pods listed again; then every pod deleted. The agent must come back to what it held
 * before: its own threads, its meters and series, its targets, the pod gauges (which count the pod
 * watch's map) and, once kept-alive connections are counted, its file descriptors.
 */
class AgentKubernetesChurnTest {
  private static final int ROUNDS = 60;
  private static final int PER_ROUND = 10;
  private static final int MAX_CONCURRENT = 8;
  private static final List<String> STATES = List.of("scraped", "other_shard", "skipped", "waiting");

  @TempDir Path dir;

  @Test
  void shouldReturnToItsBaselineWhenPodsComeAndGoAndTheWatchExpires() throws Exception {
    int nowhere = TestConfigs.freePort();
    try (FakeKubernetes api = new FakeKubernetes(); FixtureTarget served = new FixtureTarget()) {
      api.holdStreams();
      api.add(pod("warmup", served.port()));
      try (Agent agent =
          Agent.start(
              TestConfigs.parse(
                  AgentBaseline.churnConfig(MAX_CONCURRENT)
                      + "discovery:\n  kubernetes:\n    apiServer: " + api.url()
                      + "\n    tokenFile: token\n    applyDelay: 10ms\n",
                  dir))) {
        MeterRegistry registry = agent.metrics().registry();
        Http http = new Http(agent.httpPort());
        await().until(() -> agent.buffer().accepted() > 0);
        api.delete("prod", "warmup");
        await().until(() -> Http.json(http.get("/targets")).size() == 0);
        AgentBaseline baseline = AgentBaseline.of(agent);

        for (int i = 0; i < ROUNDS; i++) {
          for (int j = i * PER_ROUND; j < (i + 1) * PER_ROUND; j++) {
            api.add(pod("pod-" + j, j % 2 == 0 ? served.port() : nowhere));
            if (j % 5 == 0) {
              api.add(TestPods.scraped("prod", "bad-" + j).annotate("port", "none").build());
              api.add(TestPods.scraped("prod", "pending-" + j).phase("Pending").build());
            }
          }
          deleteRound(api, i - 3); // each pod lives three rounds
          if (i % 10 == 9) {
            double expired = restarts(registry, "expired");
            api.refuseNext(1, 410); // the watch that resumes next is told its version is gone
            api.endStreams();
            await().pollInterval(Duration.ofMillis(5)).until(() -> restarts(registry, "expired") > expired);
          }
          String newest = "\"instance\":\"pod-" + ((i + 1) * PER_ROUND - 1) + "\"";
          await().pollInterval(Duration.ofMillis(5)).until(() -> http.get("/targets").body().contains(newest));
        }
        for (int i = ROUNDS - 3; i < ROUNDS; i++) {
          deleteRound(api, i);
        }

        // the pod gauges count the pod watch's own map of pods
        await().untilAsserted(() -> {
          for (String state : STATES) {
            assertEquals(0, registry.get("leakwatch.agent.kubernetes.pods").tag("state", state).gauge().value(),
                "pods " + state);
          }
        });
        assertEquals(ROUNDS / 10, restarts(registry, "expired"), "a relist per expiry");
        // kept-alive connections: to the fixture, and a few to the API server
        baseline.awaitReturned(agent, http, "pod-", MAX_CONCURRENT + 2);
      }
    }
  }

  /** A running pod opted in on {@code port} of 127.0.0.1. */
  private static com.fasterxml.jackson.databind.node.ObjectNode pod(String name, int port) {
    return TestPods.scraped("prod", name).ip("127.0.0.1").annotate("port", Integer.toString(port)).build();
  }

  private static void deleteRound(FakeKubernetes api, int round) {
    for (int j = round * PER_ROUND; round >= 0 && j < (round + 1) * PER_ROUND; j++) {
      api.delete("prod", "pod-" + j);
      api.delete("prod", "bad-" + j);
      api.delete("prod", "pending-" + j);
    }
  }

  private static double restarts(MeterRegistry registry, String reason) {
    return registry.get("leakwatch.agent.kubernetes.watch.restarts").tag("reason", reason).counter().count();
  }
}
