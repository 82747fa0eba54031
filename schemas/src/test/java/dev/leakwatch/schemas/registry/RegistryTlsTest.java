package dev.leakwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.testing.TestPki;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry client against a real HTTPS registry whose certificate a private authority signed
 * (keys and certificates made by keytool): trust, client certificates and hostname verification as
 * the {@code schema.registry.ssl.*} keys set them.
 */
class RegistryTlsTest {

  private static final String SUBJECT = "leakwatch.profiles-value";
  private static final Schema ENVELOPE = ProfileEnvelope.getClassSchema();

  @TempDir
  static Path dir;
  private static TestPki pki;
  private static TestPki.Issued server;
  private static TestPki.Issued client;
  private static TestPki.Issued elsewhere;
  private static Map<String, Path> trustStores;

  private FakeConfluentRegistry fake;
  private SchemaRegistry registry;

  @BeforeAll
  static void makeCertificates() throws Exception {
    pki = TestPki.create(dir.resolve("ca"), "leakwatch test registry CA");
    server = pki.issue("registry");
    client = pki.issue("serde-client");
    elsewhere = pki.issue("elsewhere", "dns:registry.invalid");
    trustStores = Map.of("JKS", pki.trustStore("JKS"), "PKCS12", pki.trustStore("PKCS12"),
        "PEM", pki.caPem());
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  private long registerThrough(TestPki.Issued shown, boolean requireClientCertificate,
      Map<String, Object> settings) throws Exception {
    fake = FakeConfluentRegistry.https(shown.serverContext(), requireClientCertificate);
    Map<String, Object> config = new HashMap<>(settings);
    config.put(RegistryConfig.URL, fake.url());
    config.put(RegistryConfig.READ_TIMEOUT_MS, 5_000);
    registry = new RegistryConfig(config).createRegistry();
    return registry.register(SUBJECT, ENVELOPE);
  }

  private static Map<String, Object> trusting(String type) {
    Map<String, Object> config = new HashMap<>(Map.of(RegistryConfig.TRUSTSTORE_LOCATION,
        trustStores.get(type).toString(), RegistryConfig.TRUSTSTORE_TYPE, type));
    if (!type.equals("PEM")) {
      config.put(RegistryConfig.TRUSTSTORE_PASSWORD, TestPki.PASSWORD);
    }
    return config;
  }

  private static Map<String, Object> trustingTheCa() {
    return trusting("PKCS12");
  }

  private static void assertTlsFailure(SchemaRegistryException error) {
    assertFalse(error.retriable(), error.getMessage());
    assertTrue(error.registryUnavailable(), error.getMessage());
    assertTrue(error.getCause() instanceof SSLException, String.valueOf(error.getCause()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"JKS", "PKCS12", "PEM"})
  void shouldReachARegistryBehindAPrivateCaWhenTheTruststoreHoldsIt(String type) throws Exception {
    assertEquals(1, registerThrough(server, false, trusting(type)));
    assertEquals(1, fake.requests().size());
  }

  @Test
  void shouldFailWithTheTlsErrorWhenNoTruststoreHoldsThePrivateCa() {
    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registerThrough(server, false, Map.of()));

    assertTlsFailure(error);
    assertTrue(fake.requests().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"JKS", "PKCS12", "PEM"})
  void shouldShowTheClientCertificateWhenTheRegistryRequiresOne(String type) throws Exception {
    Map<String, Object> config = trustingTheCa();
    config.put(RegistryConfig.KEYSTORE_TYPE, type);
    switch (type) {
      case "JKS" -> config.put(RegistryConfig.KEYSTORE_LOCATION, client.jks().toString());
      case "PKCS12" -> config.put(RegistryConfig.KEYSTORE_LOCATION, client.pkcs12().toString());
      default -> config.put(RegistryConfig.KEYSTORE_LOCATION, client.keyAndChainPem().toString());
    }
    if (!type.equals("PEM")) {
      config.put(RegistryConfig.KEYSTORE_PASSWORD, TestPki.PASSWORD);
    }

    assertEquals(1, registerThrough(server, true, config));
  }

  @Test
  void shouldShowTheClientCertificateWhenTheKeyPasswordOpensAnEncryptedPemKey() throws Exception {
    Map<String, Object> config = trustingTheCa();
    config.put(RegistryConfig.KEYSTORE_TYPE, "PEM");
    config.put(RegistryConfig.KEYSTORE_LOCATION, client.encryptedKeyAndChainPem("s3cret").toString());
    config.put(RegistryConfig.KEY_PASSWORD, "s3cret");

    assertEquals(1, registerThrough(server, true, config));
  }

  @Test
  void shouldFailWithoutAKeystoreWhenTheRegistryRequiresAClientCertificate() throws Exception {
    Map<String, Object> config = trustingTheCa();

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registerThrough(server, true, config));

    // the registry's certificate was trusted: it is the missing client certificate that failed
    assertFalse(error.getMessage().contains("PKIX"), error.getMessage());
    assertTrue(error.registryUnavailable(), error.getMessage());
    assertTrue(fake.requests().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"register (POST with a body)", "schema by id (GET)"})
  void shouldFailWithTheTlsAlertWhenATlsServerRequiringAClientCertificateGetsNone(String request) throws Exception {
    // The JDK's HttpsServer (the fake above) closes the connection without the TLS alert; a server
    // that sends it, as the JDK's own TLS stack does, makes the failure a TLS one, even when writing
    // the POST body fails before the alert is read
    try (HandshakeOnlyServer tls = HandshakeOnlyServer.start(server.serverContext(), true)) {
      Map<String, Object> config = trustingTheCa();
      config.put(RegistryConfig.URL, tls.url().toString());
      config.put(RegistryConfig.READ_TIMEOUT_MS, 5_000);
      registry = new RegistryConfig(config).createRegistry();

      SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
          () -> {
            if (request.startsWith("register")) {
              registry.register(SUBJECT, ENVELOPE);
            } else {
              registry.schemaById(1);
            }
          });

      assertTlsFailure(error);
      assertTrue(error.getMessage().contains("bad_certificate") || error.getMessage().contains("certificate_required"),
          error.getMessage());
    }
  }

  @Test
  void shouldRefuseACertificateForAnotherHostWhenHostnameVerificationIsOn() throws Exception {
    Map<String, Object> config = trustingTheCa();

    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registerThrough(elsewhere, false, config));

    assertTlsFailure(error);
    assertTrue(error.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
        error.getMessage());
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void shouldAcceptACertificateForAnotherHostWhenHostnameVerificationIsOff() throws Exception {
    Map<String, Object> config = trustingTheCa();
    config.put(RegistryConfig.ENDPOINT_IDENTIFICATION_ALGORITHM, "");

    assertEquals(1, registerThrough(elsewhere, false, config));
  }

  @Test
  void shouldStillRequireATrustedCertificateWhenHostnameVerificationIsOff() {
    SchemaRegistryException error = assertThrows(SchemaRegistryException.class,
        () -> registerThrough(server, false,
            Map.of(RegistryConfig.ENDPOINT_IDENTIFICATION_ALGORITHM, "")));

    assertTlsFailure(error);
  }
}
