package dev.leakwatch.schemas.registry;

import dev.leakwatch.schemas.settings.UrlCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.utils.Utils;

/**
 * Which {@link SchemaRegistry} a serde uses and how it reaches it, read from the producer, consumer
 * or Streams configuration map (unrelated keys are ignored).
 *
 * <p>Choice, in order: {@link #REGISTRY_CLASS} if set; else a {@link RestSchemaRegistry} if {@link
 * #URL} is set; else the {@link BundledSchemaRegistry}. Key names follow Confluent's serializers where
 * they exist, so existing client configurations carry over.
 */
public final class RegistryConfig extends AbstractConfig {

  /** Comma-separated base URLs of a Confluent-compatible registry; tried in order on I/O failure. */
  public static final String URL = "schema.registry.url";
  /** {@code user:password} for HTTP basic authentication against the registry. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  /** A static bearer token for the registry ({@code Authorization: Bearer ...}). */
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  /**
   * Where basic-auth credentials come from, Confluent's key: only {@value #USER_INFO} ({@link
   * #BASIC_AUTH_USER_INFO}) is supported; accepted so that Confluent configurations carry over.
   */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  /** Where the bearer token comes from, Confluent's key: only {@value #STATIC_TOKEN} is supported. */
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
  /** The one {@link #BASIC_AUTH_CREDENTIALS_SOURCE} supported: {@link #BASIC_AUTH_USER_INFO}. */
  public static final String USER_INFO = "USER_INFO";
  /** The one {@link #BEARER_AUTH_CREDENTIALS_SOURCE} supported: {@link #BEARER_AUTH_TOKEN}. */
  public static final String STATIC_TOKEN = "STATIC_TOKEN";
  /** Trust store for {@code https} registries (a private CA); unset: the JVM's default trust store. */
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  /** The trust store's password (JKS, PKCS12; optional there, refused for PEM). */
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  /** {@code JKS} (default), {@code PKCS12} or {@code PEM}. */
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  /** Key store with the client certificate shown to registries that require one (mTLS). */
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  /** The key store's password (required for JKS and PKCS12, refused for PEM). */
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  /** {@code JKS} (default), {@code PKCS12} or {@code PEM} (key and chain in one file). */
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  /** The private key's password, if it differs from the key store's (PEM: an encrypted key's). */
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";
  /** {@code https} (default): the certificate must name the URL's host; empty: not checked (unsafe). */
  public static final String ENDPOINT_IDENTIFICATION_ALGORITHM =
      "schema.registry.ssl.endpoint.identification.algorithm";
  /** Milliseconds to wait for a TCP connection to the registry. */
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  /** Milliseconds to wait for the registry's answer once connected. */
  public static final String READ_TIMEOUT_MS = "schema.registry.read.timeout.ms";
  /** Most schema ids and schemas each cache keeps (least recently used evicted). */
  public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";
  /** Fully qualified class of a custom {@link SchemaRegistry}; overrides the URL. */
  public static final String REGISTRY_CLASS = "leakwatch.schema.registry.class";

  private static final ConfigDef.Validator STORE_TYPES =
      ConfigDef.CaseInsensitiveValidString.in("JKS", "PKCS12", "PEM");

  /** The definition of the keys above, with defaults and validators. */
  public static final ConfigDef DEFINITION = new ConfigDef()
      .define(URL, Type.LIST, List.of(), Importance.HIGH,
          "Base URLs of a Confluent-compatible schema registry (Confluent, Apicurio ccompat, "
              + "Karapace, Redpanda). Empty: records are written with Avro single-object encoding "
              + "against the schemas bundled in the jar.")
      .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
          "user:password for HTTP basic authentication against the registry.")
      .define(BEARER_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
          "Static bearer token for the registry. Mutually exclusive with basic auth.")
      .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, null,
          CredentialsSource.BASIC, Importance.LOW,
          "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info), the only "
              + "source supported; accepted for Confluent configurations.")
      .define(BEARER_AUTH_CREDENTIALS_SOURCE, Type.STRING, null,
          CredentialsSource.BEARER, Importance.LOW,
          "Where the bearer token comes from: STATIC_TOKEN (bearer.auth.token), the only source "
              + "supported; accepted for Confluent configurations.")
      .define(TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
          "Trust store for https registries, e.g. holding a private CA. Unset: the JVM's default.")
      .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
          "Password of the trust store (JKS, PKCS12).")
      .define(TRUSTSTORE_TYPE, Type.STRING, "JKS", STORE_TYPES, Importance.LOW,
          "Trust store format: JKS, PKCS12 or PEM.")
      .define(KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
          "Key store holding the client certificate for registries that require one (mTLS).")
      .define(KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
          "Password of the key store (JKS, PKCS12).")
      .define(KEYSTORE_TYPE, Type.STRING, "JKS", STORE_TYPES, Importance.LOW,
          "Key store format: JKS, PKCS12 or PEM (private key and certificate chain in one file).")
      .define(KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
          "Password of the private key in the key store, if not the store's.")
      .define(ENDPOINT_IDENTIFICATION_ALGORITHM, Type.STRING, "https",
          (name, value) -> {
            boolean valid = value != null
                && (value.toString().isEmpty() || value.toString().equalsIgnoreCase("https"));
            if (!valid) {
              throw new ConfigException(name, value, "expected https (the registry's certificate must "
                  + "name the URL's host) or empty (not checked, unsafe)");
            }
          }, Importance.LOW,
          "https: the registry's certificate must name the URL's host. Empty: not checked (unsafe).")
      .define(CONNECT_TIMEOUT_MS, Type.INT, 5_000, Range.between(1, 600_000), Importance.LOW,
          "TCP connect timeout towards the registry, in milliseconds.")
      .define(READ_TIMEOUT_MS, Type.INT, 10_000, Range.between(1, 600_000), Importance.LOW,
          "Read timeout for one registry answer, in milliseconds.")
      .define(CACHE_CAPACITY, Type.INT, 1_000, Range.between(1, 1_000_000), Importance.LOW,
          "Most entries in each registry cache (ids by schema, schemas by id).")
      .define(REGISTRY_CLASS, Type.CLASS, null, Importance.LOW,
          "Custom SchemaRegistry implementation (public no-arg constructor; configured with this "
              + "map if it implements Configurable).");

  /** Parses {@code configs}; throws {@link ConfigException} naming the key on bad values. */
  public RegistryConfig(Map<String, ?> configs) {
    super(DEFINITION, configs, false);
  }

  /**
   * Creates the registry these settings select. The caller owns it and must {@link
   * SchemaRegistry#close() close} it.
   */
  public SchemaRegistry createRegistry() {
    Class<?> custom = getClass(REGISTRY_CLASS);
    if (custom != null) {
      SchemaRegistry registry = Utils.newInstance(custom, SchemaRegistry.class);
      if (registry instanceof Configurable) {
        ((Configurable) registry).configure(originals());
      }
      return registry;
    }
    List<URI> urls = registryUrls();
    if (urls.isEmpty()) {
      return new BundledSchemaRegistry();
    }
    return new RestSchemaRegistry(new RegistryHttpClient(urls, authorizationHeader(),
        RegistryTls.from(this), Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS)),
        Duration.ofMillis(getInt(READ_TIMEOUT_MS))),
        getInt(CACHE_CAPACITY));
  }

  /** @return the configured base URLs without trailing slash; empty when none is configured */
  public List<URI> registryUrls() {
    List<URI> urls = new ArrayList<>();
    for (String raw : getList(URL)) {
      String trimmed = raw.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      urls.add(parseUrl(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed));
    }
    return urls;
  }

  private static URI parseUrl(String value) {
    // quoted without user info: a password with a character a URL may not hold fails the parse, and
    // a host with '_' parses without host or user info; the message names the reason, not the input
    String shown = UrlCredentials.hide(value);
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(URL, shown, "not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawUserInfo() != null) {
      // HttpURLConnection never sends a URL's user:password, so every request would be a 401 whose
      // message prints the URL: refused, and not quoted with its credentials
      throw new ConfigException(URL, shown, "credentials in the URL are not sent; give them as "
          + BASIC_AUTH_USER_INFO + " (user:password) instead");
    }
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new ConfigException(URL, shown, "expected an http:// or https:// URL with a host");
    }
    return uri;
  }

  /** @return the {@code Authorization} header value, or null when no credentials are configured */
  String authorizationHeader() {
    Password basic = getPassword(BASIC_AUTH_USER_INFO);
    Password bearer = getPassword(BEARER_AUTH_TOKEN);
    if (basic != null && bearer != null) {
      throw new ConfigException("Set only one of " + BASIC_AUTH_USER_INFO + " and "
          + BEARER_AUTH_TOKEN + ", not both");
    }
    if (basic != null) {
      String userInfo = basic.value();
      if (userInfo.indexOf(':') <= 0) {
        throw new ConfigException(BASIC_AUTH_USER_INFO, "[hidden]", "expected user:password");
      }
      return "Basic " + Base64.getEncoder()
          .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
    if (bearer != null) {
      if (bearer.value().isBlank()) {
        throw new ConfigException(BEARER_AUTH_TOKEN, "[hidden]", "the token is empty");
      }
      return "Bearer " + bearer.value().strip();
    }
    return null;
  }
}
