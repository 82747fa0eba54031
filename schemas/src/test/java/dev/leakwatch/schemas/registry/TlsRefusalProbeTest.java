package dev.leakwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.testing.TestPki;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsRefusalProbeTest {

  @TempDir
  static Path dir;
  private static TestPki.Issued server;
  private static SSLSocketFactory trustingTheCa;

  @BeforeAll
  static void makeCertificates() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("ca"), "leakwatch probe test CA");
    server = pki.issue("registry");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.trustStore("PKCS12"))) {
      trust.load(in, TestPki.PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);
    trustingTheCa = client.getSocketFactory();
  }

  @Test
  void shouldReturnTheAlertOfAServerThatRequiresAClientCertificateAndGotNone() throws Exception {
    try (HandshakeOnlyServer tls = HandshakeOnlyServer.start(server.serverContext(), true)) {

      Optional<SSLException> refusal = TlsRefusalProbe.refusal(trustingTheCa, tls.url(), 5_000, 5_000);

      assertTrue(refusal.isPresent());
      String alert = refusal.get().getMessage();
      assertTrue(alert.contains("bad_certificate") || alert.contains("certificate_required"), alert);
    }
  }

  @Test
  void shouldReturnNothingFromAServerThatWaitsForTheRequest() throws Exception {
    try (HandshakeOnlyServer tls = HandshakeOnlyServer.start(server.serverContext(), false)) {

      assertTrue(TlsRefusalProbe.refusal(trustingTheCa, tls.url(), 5_000, 200).isEmpty());
    }
  }

  @Test
  void shouldReturnNothingWhenNothingListens() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    assertTrue(TlsRefusalProbe.refusal(trustingTheCa, URI.create("https://127.0.0.1:" + closed), 2_000, 200)
        .isEmpty());
  }
}
