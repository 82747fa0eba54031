package dev.leakwatch.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code scrape.tls}: files read at load time (and every refresh interval after, see
 * TlsReloadTest), every problem at load time an error naming its key.
 */
class TargetTlsConfigTest {
  @TempDir static Path dir;
  private static TestPki pki;
  private static TestPki.Issued agent;
  private static TestPki.Issued other;

  @BeforeAll
  static void issueCertificates() throws Exception {
    pki = TestPki.create(dir, "leakwatch-test-ca");
    agent = pki.issue("agent");
    other = pki.issue("other");
  }

  private static AgentConfig parse(String tls) {
    return AgentConfigLoader.parse(
        "kafka:\n  createTopic: false\n  client:\n    bootstrap.servers: 127.0.0.1:1\n"
            + "scrape:\n  tls:\n" + tls,
        dir);
  }

  @Test
  void shouldUseTheJvmDefaultWhenNoTlsSectionIsGiven() {
    AgentConfig cfg =
        AgentConfigLoader.parse(
            "kafka:\n  client:\n    bootstrap.servers: 127.0.0.1:1\n", dir);
    assertSame(TargetTls.JVM_DEFAULT, cfg.scrape().tls());
    assertNull(cfg.scrape().tls().context());
  }

  @Test
  void shouldBuildAContextFromAnAuthorityAndAClientCertificateRelativeToTheConfigFile()
      throws Exception {
    Files.copy(pki.caPem(), dir.resolve("relative-ca.pem"));
    TargetTls tls =
        parse(
                "    caFile: relative-ca.pem\n    certFile: " + agent.chainPem()
                    + "\n    keyFile: " + agent.keyPem() + "\n")
            .scrape().tls();
    assertNotNull(tls.context());
    assertTrue(tls.caFile().equals(dir.resolve("relative-ca.pem")), tls.caFile().toString());
  }

  @Test
  void shouldReadTheFilesAgainEveryRefreshIntervalTenSecondsUnlessSet() throws Exception {
    String files = "    caFile: " + pki.caPem() + "\n";
    assertEquals(Duration.ofSeconds(10), parse(files).scrape().tls().refreshInterval());
    assertEquals(
        Duration.ofMinutes(1),
        parse(files + "    refreshInterval: 1m\n").scrape().tls().refreshInterval());
  }

  static Stream<Arguments> refusals() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    String keyBase64 =
        Files.readString(agent.keyPem()).replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "").trim();
    Path sec1 =
        Files.writeString(
            dir.resolve("sec1.pem"),
            "-----BEGIN EC PRIVATE KEY-----\n" + keyBase64 + "\n-----END EC PRIVATE KEY-----\n");
    Path encrypted =
        Files.writeString(
            dir.resolve("encrypted.pem"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + keyBase64
                + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
    Path notAKey =
        Files.writeString(
            dir.resolve("not-a-key.pem"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Function<Path, String> withKey =
        key -> {
          try {
            return "    certFile: " + agent.chainPem() + "\n    keyFile: " + key + "\n";
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    return Stream.of(
        Arguments.of("    caFile: missing.pem\n", "scrape.tls.caFile: cannot read"),
        Arguments.of("    caFile: " + garbage + "\n", "scrape.tls.caFile: " + garbage),
        Arguments.of(
            "    certFile: " + agent.chainPem() + "\n",
            "scrape.tls: certFile and keyFile go together"),
        Arguments.of("    keyFile: " + agent.keyPem() + "\n", "scrape.tls: certFile and keyFile go together"),
        Arguments.of(withKey.apply(other.keyPem()), "does not belong to the first certificate in"),
        Arguments.of(withKey.apply(sec1), "holds a EC PRIVATE KEY block; give an unencrypted PKCS#8 key"),
        Arguments.of(withKey.apply(encrypted), "holds a ENCRYPTED PRIVATE KEY block"),
        Arguments.of(withKey.apply(notAKey), "not an RSA, EC or EdDSA private key in PKCS#8 form"),
        Arguments.of(withKey.apply(pki.caPem()), "holds no PEM PRIVATE KEY block"),
        Arguments.of("    caFiles: x.pem\n", "scrape.tls.caFiles"),
        Arguments.of(
            "    caFile: x.pem\n    refreshInterval: 50ms\n",
            "scrape.tls.refreshInterval: 50ms is below the minimum 100ms"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void shouldRefuseABadTlsSettingWithItsKeyAndReason(String tls, String expected) {
    String message = assertThrows(ConfigException.class, () -> parse(tls)).getMessage();
    assertTrue(message.contains(expected), message);
  }
}
