package dev.leakwatch.agent.scrape;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.Agent;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.Http;
import dev.leakwatch.agent.testing.TcpForwarder;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.schemas.testing.TestPki;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https} targets with the fleet's own certificate authority ({@code scrape.tls.caFile}) and
 * targets that require a client certificate ({@code certFile}, {@code keyFile}): Go services
 * behind mTLS, as service meshes and internal PKIs run them.
 */
class HttpsTargetTest {
  @TempDir static Path dir;
  private static TestPki pki;
  private static TestPki.Issued server;
  private static TestPki.Issued client;

  @BeforeAll
  static void issueCertificates() throws Exception {
    pki = TestPki.create(dir, "leakwatch-test-ca");
    server = pki.issue("target");
    client = pki.issue("agent");
  }

  /** Scrapes heap from {@code target} until a round has ended either way (a roomy timeout: a TLS handshake on a loaded machine is slow). */
  private static String metricsAfterARound(FixtureTarget target, String tls) {
    String yaml =
        TestConfigs.kafka(TestConfigs.unreachableBootstrap())
            + "scrape:\n  interval: 5s\n  jitter: 0\n  profiles: [heap]\n" + tls
            + "targets:\n  - service: orders\n    instance: orders-1\n"
            + "    url: https://127.0.0.1:" + target.port() + "\n";
    try (Agent agent = Agent.start(TestConfigs.parse(yaml, dir))) {
      Http http = new Http(agent.httpPort());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> agent.metrics().total("leakwatch.agent.scrapes") >= 1);
      return http.get("/metrics").body();
    }
  }

  private static double scrapes(String metrics, String outcome) {
    Matcher m =
        Pattern.compile("leakwatch_agent_scrapes_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*\\} (\\S+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void shouldScrapeAnHttpsTargetWhoseCertificateTheConfiguredAuthoritySigned() throws Exception {
    try (FixtureTarget target = FixtureTarget.https(server.serverContext(), false)) {
      String metrics = metricsAfterARound(target, "  tls:\n    caFile: " + pki.caPem() + "\n");
      assertTrue(scrapes(metrics, "ok") >= 1, metrics);
      assertEquals(0, scrapes(metrics, "failed"), metrics);
    }
  }

  @Test
  void shouldCountATlsFailureWhenTheTargetsAuthorityIsNotTrusted() throws Exception {
    try (FixtureTarget target = FixtureTarget.https(server.serverContext(), false)) {
      String metrics = metricsAfterARound(target, "");
      assertEquals(0, scrapes(metrics, "ok"), metrics);
      assertTrue(metrics.contains("reason=\"tls\""), metrics);
    }
  }

  @Test
  void shouldShowTheClientCertificateToATargetThatRequiresOne() throws Exception {
    try (FixtureTarget target = FixtureTarget.https(server.serverContext(), true)) {
      String withCert =
          metricsAfterARound(
              target,
              "  tls:\n    caFile: " + pki.caPem() + "\n    certFile: " + client.chainPem()
                  + "\n    keyFile: " + client.keyPem() + "\n");
      assertTrue(scrapes(withCert, "ok") >= 1, withCert);

      String without = metricsAfterARound(target, "  tls:\n    caFile: " + pki.caPem() + "\n");
      assertEquals(0, scrapes(without, "ok"), without);
      // under TLS 1.3 the target refuses the missing certificate after the client's side of the
      // handshake has finished. A Go target sends an alert the client reports (tls); this JDK test
      // server closes the connection without one the client sees (io: EOF or reset, no
      // SSLException anywhere in the cause chain, so nothing tells it from any other close)
      assertTrue(without.contains("reason=\"tls\"") || without.contains("reason=\"io\""), without);
    }
  }

  @Test
  void shouldKeepScrapingWithoutARestartWhenTheTlsFilesRotateToTheTargetsNewAuthority()
      throws Exception {
    Path live = dir.resolve("rotating");
    pki.swapInClientFiles(client, live);
    TestPki newCa = TestPki.create(dir.resolve("new-ca"), "leakwatch-new-ca");
    TestPki.Issued newServer = newCa.issue("target");
    TestPki.Issued newClient = newCa.issue("agent");
    FixtureTarget oldTarget = FixtureTarget.https(server.serverContext(), true);
    try (TcpForwarder address =
            TcpForwarder.start(TestConfigs.freePort(), "127.0.0.1", oldTarget.port());
        FixtureTarget newTarget = FixtureTarget.https(newServer.serverContext(), true);
        Agent agent =
            Agent.start(
                TestConfigs.parse(
                    TestConfigs.kafka(TestConfigs.unreachableBootstrap())
                        + "scrape:\n  interval: 200ms\n  jitter: 0\n  profiles: [heap]\n"
                        + "  tls:\n    caFile: rotating/ca.pem\n    certFile: rotating/cert.pem\n"
                        + "    keyFile: rotating/key.pem\n    refreshInterval: 100ms\n"
                        + "targets:\n  - service: orders\n    instance: orders-1\n"
                        + "    url: https://127.0.0.1:" + address.localPort() + "\n",
                    dir))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> okScrapes(agent) >= 1);

      // the fleet moves to a new authority: new files on the agent's disk, the target restarts
      newCa.swapInClientFiles(newClient, live);
      address.retarget(newTarget.port());
      oldTarget.close();
      double before = okScrapes(agent);

      // one more may still have been answered by the old target; the second is the new one's
      await().atMost(Duration.ofSeconds(30)).until(() -> okScrapes(agent) >= before + 2);
      MeterRegistry registry = agent.metrics().registry();
      // At least one: a check whose reads straddle the swap sees the new certificate and key with
      // the old authority, a valid set of its own, put to use before the whole new set.
      assertTrue(
          registry.get("leakwatch.agent.tls.reloads").tag("outcome", "ok").counter().count() >= 1);
      assertEquals(
          0, registry.get("leakwatch.agent.tls.reloads").tag("outcome", "failed").counter().count());
    } finally {
      oldTarget.close();
    }
  }

  private static double okScrapes(Agent agent) {
    return agent.metrics().registry().find("leakwatch.agent.scrapes").tag("outcome", "ok")
        .counters().stream().mapToDouble(Counter::count).sum();
  }

  @Test
  void shouldServeTheProfileBytesUnchangedOverHttps() throws Exception {
    try (FixtureTarget target = FixtureTarget.https(server.serverContext(), false)) {
      HttpProfileFetcher fetcher =
          new HttpProfileFetcher(
              "test",
              AgentConfigLoader.parse(
                      TestConfigs.kafka("127.0.0.1:1") + "scrape:\n  tls:\n    caFile: " + pki.caPem() + "\n",
                      dir)
                  .scrape().tls().context());
      byte[] body =
          fetcher
              .fetch(
                  URI.create("https://127.0.0.1:" + target.port() + "/debug/pprof/heap"),
                  Duration.ofSeconds(10), 1 << 24)
              .get();
      assertArrayEquals(target.body(ProfileKind.HEAP), body);
    }
  }
}
