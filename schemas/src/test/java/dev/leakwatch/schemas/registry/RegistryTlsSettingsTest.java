package dev.leakwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.schemas.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad {@code schema.registry.ssl.*} settings fail when the registry client is made (a serde's
 * configure), each naming the key to fix, and never reach a registry or a record.
 */
class RegistryTlsSettingsTest {

  private static final String URL = "https://registry.invalid:8081";

  @TempDir
  static Path dir;
  private static TestPki pki;
  private static TestPki.Issued client;
  private static Path trustStore;

  @BeforeAll
  static void makeStores() throws Exception {
    pki = TestPki.create(dir.resolve("ca"), "leakwatch settings CA");
    client = pki.issue("serde-client");
    trustStore = pki.trustStore("PKCS12");
  }

  private static ConfigException refused(Map<String, Object> settings) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(RegistryConfig.URL, URL);
    return assertThrows(ConfigException.class, () -> new RegistryConfig(config).createRegistry());
  }

  private static void assertNames(ConfigException error, String key, String reason) {
    assertTrue(error.getMessage().contains(key), error.getMessage());
    assertTrue(error.getMessage().contains(reason), error.getMessage());
    assertFalse(error.getMessage().contains(TestPki.PASSWORD), "no password in: " + error.getMessage());
  }

  private static Map<String, Object> pkcs12KeyStore(String storePassword) {
    return new HashMap<>(Map.of(RegistryConfig.KEYSTORE_LOCATION, client.pkcs12().toString(),
        RegistryConfig.KEYSTORE_TYPE, "PKCS12", RegistryConfig.KEYSTORE_PASSWORD, storePassword));
  }

  @Test
  void shouldNameTheLocationWhenTheTruststoreFileIsMissing() {
    String missing = dir.resolve("nowhere.jks").toString();

    assertNames(refused(Map.of(RegistryConfig.TRUSTSTORE_LOCATION, missing)),
        RegistryConfig.TRUSTSTORE_LOCATION, missing + " for configuration "
            + RegistryConfig.TRUSTSTORE_LOCATION + ": no such file");
  }

  @Test
  void shouldNameTheTruststorePasswordWhenItIsWrong() {
    assertNames(refused(Map.of(RegistryConfig.TRUSTSTORE_LOCATION, trustStore.toString(),
        RegistryConfig.TRUSTSTORE_TYPE, "PKCS12", RegistryConfig.TRUSTSTORE_PASSWORD, "wrong")),
        RegistryConfig.TRUSTSTORE_PASSWORD, "wrong password for the trust store " + trustStore);
  }

  @Test
  void shouldNameTheKeystorePasswordWhenItIsWrong() {
    assertNames(refused(pkcs12KeyStore("wrong")), RegistryConfig.KEYSTORE_PASSWORD,
        "wrong password for the key store " + client.pkcs12());
  }

  @Test
  void shouldNameTheKeyPasswordWhenOnlyItIsWrong() {
    Map<String, Object> config = pkcs12KeyStore(TestPki.PASSWORD);
    config.put(RegistryConfig.KEY_PASSWORD, "wrong");

    assertNames(refused(config), RegistryConfig.KEY_PASSWORD,
        "wrong password for the key in the key store " + client.pkcs12());
  }

  @Test
  void shouldNameTheKeyPasswordWhenItDoesNotOpenAnEncryptedPemKey() throws Exception {
    Path pem = client.encryptedKeyAndChainPem("s3cret");

    assertNames(refused(Map.of(RegistryConfig.KEYSTORE_LOCATION, pem.toString(),
        RegistryConfig.KEYSTORE_TYPE, "PEM", RegistryConfig.KEY_PASSWORD, "wrong")),
        RegistryConfig.KEY_PASSWORD, "wrong password for the key in the key store " + pem);
  }

  /**
   * About one wrong password in 256 decrypts an encrypted PEM key to bytes whose padding looks
   * right: no {@code BadPaddingException}, but garbage that fails to parse as a key ("Invalid
   * lenByte"). That was reported as a file that cannot be read as a PEM key store, and this class's
   * test above failed once in about 256 runs. A wrong password found to decrypt so is used here.
   */
  @Test
  void shouldNameTheKeyPasswordWhenAWrongOneDecryptsTheKeyToGarbage() throws Exception {
    Path pem = client.encryptedKeyAndChainPem("s3cret");
    String wrong = passwordPassingThePaddingCheck(pem);

    assertNames(refused(Map.of(RegistryConfig.KEYSTORE_LOCATION, pem.toString(),
        RegistryConfig.KEYSTORE_TYPE, "PEM", RegistryConfig.KEY_PASSWORD, wrong)),
        RegistryConfig.KEY_PASSWORD, "wrong password for the key in the key store " + pem);
  }

  /** A password other than the key's whose decryption of {@code pem}'s key throws no padding error. */
  private static String passwordPassingThePaddingCheck(Path pem) throws Exception {
    String text = Files.readString(pem);
    String base64 = text.substring(text.indexOf("-----BEGIN ENCRYPTED PRIVATE KEY-----") + 37,
        text.indexOf("-----END ENCRYPTED PRIVATE KEY-----")).replaceAll("\\s", "");
    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(Base64.getDecoder().decode(base64));
    SecretKeyFactory factory = SecretKeyFactory.getInstance(info.getAlgName());
    for (int i = 0; i < 100_000; i++) {
      String candidate = "wrong-" + i;
      Cipher cipher = Cipher.getInstance(info.getAlgName());
      cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(candidate.toCharArray())),
          info.getAlgParameters());
      try {
        cipher.doFinal(info.getEncryptedData());
        return candidate;
      } catch (BadPaddingException e) {
        // the usual outcome of a wrong password
      }
    }
    throw new AssertionError("no wrong password passed the padding check in 100,000");
  }

  @Test
  void shouldNameTheLocationAndTypeWhenTheFileIsNotOfTheDeclaredType() {
    ConfigException error = refused(Map.of(RegistryConfig.TRUSTSTORE_LOCATION,
        pki.caPem().toString(), RegistryConfig.TRUSTSTORE_TYPE, "PKCS12"));

    assertNames(error, RegistryConfig.TRUSTSTORE_LOCATION,
        "cannot be read as a PKCS12 trust store (" + RegistryConfig.TRUSTSTORE_TYPE + ")");
  }

  @Test
  void shouldNameTheLocationWhenAPemKeystoreHoldsNoKey() {
    ConfigException error = refused(Map.of(RegistryConfig.KEYSTORE_LOCATION,
        pki.caPem().toString(), RegistryConfig.KEYSTORE_TYPE, "PEM"));

    assertNames(error, RegistryConfig.KEYSTORE_LOCATION, "cannot be read as a PEM key store");
  }

  @Test
  void shouldRefuseAStoreTypeOtherThanJksPkcs12OrPem() {
    ConfigException error = refused(Map.of(RegistryConfig.TRUSTSTORE_LOCATION,
        trustStore.toString(), RegistryConfig.TRUSTSTORE_TYPE, "BKS"));

    assertNames(error, RegistryConfig.TRUSTSTORE_TYPE, "JKS, PKCS12, PEM");
  }

  @Test
  void shouldRequireTheKeystorePasswordForAPkcs12Keystore() {
    assertNames(refused(Map.of(RegistryConfig.KEYSTORE_LOCATION, client.pkcs12().toString(),
        RegistryConfig.KEYSTORE_TYPE, "PKCS12")), RegistryConfig.KEYSTORE_PASSWORD,
        "is required with a PKCS12 key store");
  }

  @Test
  void shouldRefuseAPasswordForAPemTruststore() {
    assertNames(refused(Map.of(RegistryConfig.TRUSTSTORE_LOCATION, pki.caPem().toString(),
        RegistryConfig.TRUSTSTORE_TYPE, "PEM", RegistryConfig.TRUSTSTORE_PASSWORD, "x")),
        RegistryConfig.TRUSTSTORE_PASSWORD, "a PEM trust store has no password");
  }

  @Test
  void shouldRefuseAKeyPasswordWithoutAKeystore() {
    assertNames(refused(Map.of(RegistryConfig.KEY_PASSWORD, "secret")), RegistryConfig.KEY_PASSWORD,
        "no key store to open: " + RegistryConfig.KEYSTORE_LOCATION + " is not set");
  }

  @Test
  void shouldRefuseAnEndpointIdentificationAlgorithmOtherThanHttpsOrEmpty() {
    ConfigException error = assertThrows(ConfigException.class, () -> new RegistryConfig(
        Map.of(RegistryConfig.ENDPOINT_IDENTIFICATION_ALGORITHM, "none")));

    assertNames(error, RegistryConfig.ENDPOINT_IDENTIFICATION_ALGORITHM, "https");
  }

  @Test
  void shouldFailWhenTheSerdeIsConfiguredNotAtTheFirstRecord() {
    String missing = dir.resolve("gone.p12").toString();
    Map<String, Object> config = Map.of(RegistryConfig.URL, URL,
        RegistryConfig.KEYSTORE_LOCATION, missing, RegistryConfig.KEYSTORE_PASSWORD, "x");

    ConfigException error = assertThrows(ConfigException.class,
        () -> LeakwatchSerdes.profileEnvelope(config, false));

    assertNames(error, RegistryConfig.KEYSTORE_LOCATION, "no such file");
  }
}
