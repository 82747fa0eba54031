package dev.leakwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryConfigTest {

  @Test
  void shouldChooseTheBundledRegistryWithoutUrl() {
    try (SchemaRegistry registry = new RegistryConfig(Map.of("bootstrap.servers", "b:9092"))
        .createRegistry()) {
      assertInstanceOf(BundledSchemaRegistry.class, registry);
      assertEquals(SchemaRegistry.IdKind.FINGERPRINT, registry.idKind());
    }
  }

  @Test
  void shouldChooseTheRestRegistryWithUrl() {
    try (SchemaRegistry registry = new RegistryConfig(Map.of(RegistryConfig.URL, "http://sr:8081"))
        .createRegistry()) {
      assertInstanceOf(RestSchemaRegistry.class, registry);
      assertEquals(SchemaRegistry.IdKind.REGISTRY_ID, registry.idKind());
    }
  }

  @Test
  void shouldInstantiateAndConfigureACustomRegistryClass() {
    Map<String, Object> config = Map.of(RegistryConfig.REGISTRY_CLASS,
        RecordingRegistry.class.getName(), "custom.setting", "42");

    try (SchemaRegistry registry = new RegistryConfig(config).createRegistry()) {
      RecordingRegistry recording = assertInstanceOf(RecordingRegistry.class, registry);
      assertEquals("42", recording.configuration().get("custom.setting"));
    }
  }

  @Test
  void shouldStripTrailingSlashesAndBlankEntriesFromUrls() {
    List<URI> urls = new RegistryConfig(Map.of(RegistryConfig.URL,
        "http://sr-a:8081/, ,https://sr-b.example/apis/ccompat/v7/")).registryUrls();

    assertEquals(List.of(URI.create("http://sr-a:8081"),
        URI.create("https://sr-b.example/apis/ccompat/v7")), urls);
  }

  @Test
  void shouldRejectNonHttpUrlNamingTheKey() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> new RegistryConfig(Map.of(RegistryConfig.URL, "mock://scope")).registryUrls());

    assertTrue(error.getMessage().contains(RegistryConfig.URL), error.getMessage());
    assertTrue(error.getMessage().contains("http:// or https://"), error.getMessage());
  }

  @Test
  void shouldRejectCredentialsInTheUrlWithoutEchoingThem() {
    ConfigException error = assertThrows(ConfigException.class, () -> new RegistryConfig(
        Map.of(RegistryConfig.URL, "https://svc-user:s3cret@registry.example:8081/api")).registryUrls());

    assertTrue(error.getMessage().contains(RegistryConfig.BASIC_AUTH_USER_INFO), error.getMessage());
    assertTrue(error.getMessage().contains("https://***@registry.example:8081/api"), error.getMessage());
    assertFalse(error.getMessage().contains("s3cret"), error.getMessage());
  }

  /**
   * A password with a character a URL may not hold unescaped makes the URL fail to parse, and a
   * host with {@code _} leaves java.net.URI without host or user info: both refusals quoted the URL
   * whole, password included (into the startup error, {@code --check} and the processor's log).
   */
  @Test
  void shouldNotEchoCredentialsOfAUrlThatDoesNotParse() {
    for (String url : List.of("https://svc-user:s3cret^@registry.example:8081",
        "https://svc-user:s3cret%@registry.example:8081", "https://svc-user:s3cret@schema_registry:8081")) {
      ConfigException error = assertThrows(ConfigException.class,
          () -> new RegistryConfig(Map.of(RegistryConfig.URL, url)).registryUrls());

      assertTrue(error.getMessage().contains(RegistryConfig.URL), error.getMessage());
      assertFalse(error.getMessage().contains("s3cret"), error.getMessage());
    }
  }

  @Test
  void shouldRejectBasicAndBearerTogether() {
    ConfigException error = assertThrows(ConfigException.class, () -> new RegistryConfig(Map.of(
        RegistryConfig.BASIC_AUTH_USER_INFO, "u:p", RegistryConfig.BEARER_AUTH_TOKEN, "t"))
        .authorizationHeader());

    assertTrue(error.getMessage().contains(RegistryConfig.BASIC_AUTH_USER_INFO), error.getMessage());
    assertTrue(error.getMessage().contains(RegistryConfig.BEARER_AUTH_TOKEN), error.getMessage());
  }

  @Test
  void shouldRejectUserInfoWithoutPasswordSeparatorWithoutEchoingIt() {
    ConfigException error = assertThrows(ConfigException.class, () -> new RegistryConfig(
        Map.of(RegistryConfig.BASIC_AUTH_USER_INFO, "onlyuser")).authorizationHeader());

    assertTrue(error.getMessage().contains("expected user:password"), error.getMessage());
    assertFalse(error.getMessage().contains("onlyuser"), error.getMessage());
  }

  @Test
  void shouldRejectOutOfRangeTimeoutNamingTheKey() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> new RegistryConfig(Map.of(RegistryConfig.READ_TIMEOUT_MS, 0)));

    assertTrue(error.getMessage().contains(RegistryConfig.READ_TIMEOUT_MS), error.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"USER_INFO", "user_info"})
  void shouldSendBasicAuthWhenTheCredentialsSourceIsUserInfo(String source) {
    RegistryConfig config = new RegistryConfig(Map.of(RegistryConfig.BASIC_AUTH_USER_INFO, "u:p",
        RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, source));

    assertEquals("Basic dTpw", config.authorizationHeader());
  }

  @ParameterizedTest
  @CsvSource({
      "URL, give the registry's user:password as basic.auth.user.info",
      "SASL_INHERIT, Kafka client's SASL credentials",
      "BOGUS, expected USER_INFO"})
  void shouldRefuseABasicCredentialsSourceOtherThanUserInfoSayingWhatToUse(String source,
      String says) {
    ConfigException error = assertThrows(ConfigException.class, () -> new RegistryConfig(Map.of(
        RegistryConfig.BASIC_AUTH_USER_INFO, "u:p", RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, source)));

    assertTrue(error.getMessage().contains(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE), error.getMessage());
    assertTrue(error.getMessage().contains(says), error.getMessage());
  }

  @Test
  void shouldSendTheBearerTokenWhenTheCredentialsSourceIsStaticToken() {
    RegistryConfig config = new RegistryConfig(Map.of(RegistryConfig.BEARER_AUTH_TOKEN, "t0k",
        RegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN"));

    assertEquals("Bearer t0k", config.authorizationHeader());
  }

  @ParameterizedTest
  @CsvSource({
      "OAUTHBEARER, fetches tokens from an OAuth issuer",
      "SASL_OAUTHBEARER_INHERIT, OAUTHBEARER login",
      "CUSTOM, plug in a SchemaRegistry of your own as leakwatch.schema.registry.class",
      "BOGUS, expected STATIC_TOKEN"})
  void shouldRefuseABearerCredentialsSourceOtherThanStaticTokenSayingWhatToUse(String source,
      String says) {
    ConfigException error = assertThrows(ConfigException.class, () -> new RegistryConfig(Map.of(
        RegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE, source)));

    assertTrue(error.getMessage().contains(RegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE), error.getMessage());
    assertTrue(error.getMessage().contains(says), error.getMessage());
  }
}
