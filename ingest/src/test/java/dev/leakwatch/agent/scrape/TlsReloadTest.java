package dev.leakwatch.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.TargetTls;
import dev.leakwatch.agent.metrics.AgentMetrics;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.testing.FixtureTarget;
import dev.leakwatch.agent.testing.ManualScheduler;
import dev.leakwatch.agent.testing.TcpForwarder;
import dev.leakwatch.agent.testing.TestConfigs;
import dev.leakwatch.schemas.testing.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotated {@code scrape.tls} files, against real https targets that require a client certificate:
 * the fleet moves to a new authority (new server and client certificates), and the files on the
 * agent's disk are replaced while it runs. Checks are driven by the test ({@link
 * TlsReloader#poll()}), not by a clock.
 */
class TlsReloadTest {
  @TempDir static Path pkis;
  private static TestPki oldCa;
  private static TestPki newCa;
  private static TestPki.Issued oldServer;
  private static TestPki.Issued oldAgent;
  private static TestPki.Issued newServer;
  private static TestPki.Issued newAgent;

  @TempDir Path live;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TlsReloader reloader;
  private HttpProfileFetcher fetcher;

  @BeforeAll
  static void issueCertificates() throws Exception {
    oldCa = TestPki.create(pkis.resolve("old"), "old-ca");
    oldServer = oldCa.issue("target");
    oldAgent = oldCa.issue("agent");
    newCa = TestPki.create(pkis.resolve("new"), "new-ca");
    newServer = newCa.issue("target");
    newAgent = newCa.issue("agent");
  }

  @BeforeEach
  void startWithTheOldAuthority() throws Exception {
    oldCa.installClientFiles(oldAgent, live);
    TargetTls tls =
        AgentConfigLoader.parse(
                TestConfigs.kafka("127.0.0.1:1")
                    + "scrape:\n  tls:\n    caFile: ca.pem\n    certFile: cert.pem\n"
                    + "    keyFile: key.pem\n",
                live)
            .scrape().tls();
    reloader =
        new TlsReloader(
            tls, HttpProfileFetcher::newClient, new ManualScheduler(),
            new AgentMetrics(registry));
    fetcher = new HttpProfileFetcher("test", reloader);
  }

  private byte[] heap(int port) throws Exception {
    return fetcher
        .fetch(
            URI.create("https://127.0.0.1:" + port + "/debug/pprof/heap"),
            Duration.ofSeconds(10), 1 << 24)
        .get();
  }

  private double reloads(String outcome) {
    return registry.get("leakwatch.agent.tls.reloads").tag("outcome", outcome).counter().count();
  }

  @Test
  void shouldScrapeATargetThatMovedToANewAuthorityOnceTheRotatedFilesAreChecked()
      throws Exception {
    FixtureTarget oldTarget = FixtureTarget.https(oldServer.serverContext(), true);
    try (TcpForwarder address =
            TcpForwarder.start(TestConfigs.freePort(), "127.0.0.1", oldTarget.port());
        FixtureTarget newTarget = FixtureTarget.https(newServer.serverContext(), true)) {
      int port = address.localPort();
      assertArrayEquals(oldTarget.body(ProfileKind.HEAP), heap(port));

      // the fleet moves: new files on the agent's disk, the target restarts with the new authority
      newCa.installClientFiles(newAgent, live);
      address.retarget(newTarget.port());
      oldTarget.close();

      assertEquals(TlsReloader.Check.APPLIED, reloader.poll());
      assertArrayEquals(newTarget.body(ProfileKind.HEAP), heap(port));
      assertEquals(1, reloads("ok"));
      assertEquals(0, reloads("failed"));
      assertEquals(TlsReloader.Check.UNCHANGED, reloader.poll());
    } finally {
      oldTarget.close();
    }
  }

  @Test
  void shouldKeepTheOldCertificatesWhileTheRotatedKeyIsHalfWrittenAndReportItOnce()
      throws Exception {
    try (FixtureTarget oldTarget = FixtureTarget.https(oldServer.serverContext(), true);
        FixtureTarget newTarget = FixtureTarget.https(newServer.serverContext(), true)) {
      newCa.installClientFiles(newAgent, live);
      String key = Files.readString(live.resolve("key.pem"), StandardCharsets.US_ASCII);
      Files.writeString(live.resolve("key.pem"), key.substring(0, key.length() / 2));

      // seen once: perhaps a rotation still writing; kept out, not reported yet
      assertEquals(TlsReloader.Check.UNSETTLED, reloader.poll());
      assertArrayEquals(oldTarget.body(ProfileKind.HEAP), heap(oldTarget.port()));
      assertEquals(0, reloads("failed"));
      // the same bytes at the next check: reported once, the old certificates still in use
      assertEquals(TlsReloader.Check.REFUSED, reloader.poll());
      assertEquals(TlsReloader.Check.UNCHANGED, reloader.poll());
      assertEquals(1, reloads("failed"));
      assertArrayEquals(oldTarget.body(ProfileKind.HEAP), heap(oldTarget.port()));

      Files.writeString(live.resolve("key.pem"), key);
      assertEquals(TlsReloader.Check.APPLIED, reloader.poll());
      assertArrayEquals(newTarget.body(ProfileKind.HEAP), heap(newTarget.port()));
      assertEquals(1, reloads("ok"));
    }
  }
}
