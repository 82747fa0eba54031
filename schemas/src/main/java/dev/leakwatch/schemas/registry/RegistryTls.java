package dev.leakwatch.schemas.registry;

import static dev.leakwatch.schemas.registry.RegistryConfig.ENDPOINT_IDENTIFICATION_ALGORITHM;
import static dev.leakwatch.schemas.registry.RegistryConfig.KEYSTORE_LOCATION;
import static dev.leakwatch.schemas.registry.RegistryConfig.KEYSTORE_PASSWORD;
import static dev.leakwatch.schemas.registry.RegistryConfig.KEYSTORE_TYPE;
import static dev.leakwatch.schemas.registry.RegistryConfig.KEY_PASSWORD;
import static dev.leakwatch.schemas.registry.RegistryConfig.TRUSTSTORE_LOCATION;
import static dev.leakwatch.schemas.registry.RegistryConfig.TRUSTSTORE_PASSWORD;
import static dev.leakwatch.schemas.registry.RegistryConfig.TRUSTSTORE_TYPE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.UnrecoverableKeyException;
import java.security.spec.InvalidKeySpecException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.ssl.DefaultSslEngineFactory;

/**
 * How the registry client speaks TLS, from the {@code schema.registry.ssl.*} keys: a trust store
 * (private CAs), a key store (a client certificate, for registries that require one) and whether
 * the server's certificate must name the host of the URL.
 *
 * <p>Without a store the JVM's default trust store and no client certificate are used, as before
 * these keys existed. Stores are loaded by Kafka's own {@link DefaultSslEngineFactory}, so JKS,
 * PKCS12 and PEM files mean exactly what they mean in a Kafka client's {@code ssl.*} keys. They are
 * read once, when the serde is configured; a problem with one is a {@link ConfigException} naming
 * the key to fix, never a failure at the first record. Replaced files take effect at the next start.
 */
final class RegistryTls {

  /** Accepts any host: {@code schema.registry.ssl.endpoint.identification.algorithm} set empty. */
  private static final HostnameVerifier ANY_HOST = (host, session) -> true;

  private final SSLSocketFactory socketFactory;
  private final HostnameVerifier hostnameVerifier;

  private RegistryTls(SSLSocketFactory socketFactory, HostnameVerifier hostnameVerifier) {
    this.socketFactory = socketFactory;
    this.hostnameVerifier = hostnameVerifier;
  }

  /** One store's keys and values, as the messages name them. */
  private record Store(String what, String locationKey, String location, String passwordKey,
      Password password, String typeKey, String type) {

    boolean pem() {
      return type.equals(DefaultSslEngineFactory.PEM_TYPE);
    }

    boolean keyStore() {
      return locationKey.equals(KEYSTORE_LOCATION);
    }
  }

  /** Reads the TLS keys of {@code config}; throws {@link ConfigException} naming the bad key. */
  static RegistryTls from(RegistryConfig config) {
    Store trust = new Store("trust store", TRUSTSTORE_LOCATION, location(config, TRUSTSTORE_LOCATION),
        TRUSTSTORE_PASSWORD, config.getPassword(TRUSTSTORE_PASSWORD), TRUSTSTORE_TYPE,
        config.getString(TRUSTSTORE_TYPE).toUpperCase(Locale.ROOT));
    Store keys = new Store("key store", KEYSTORE_LOCATION, location(config, KEYSTORE_LOCATION),
        KEYSTORE_PASSWORD, config.getPassword(KEYSTORE_PASSWORD), KEYSTORE_TYPE,
        config.getString(KEYSTORE_TYPE).toUpperCase(Locale.ROOT));
    Password keyPassword = config.getPassword(KEY_PASSWORD);
    requireLocation(trust, trust.password() != null, trust.passwordKey());
    requireLocation(keys, keys.password() != null, keys.passwordKey());
    requireLocation(keys, keyPassword != null, KEY_PASSWORD);
    HostnameVerifier verifier =
        config.getString(ENDPOINT_IDENTIFICATION_ALGORITHM).isEmpty() ? ANY_HOST : null;
    if (trust.location() == null && keys.location() == null) {
      return new RegistryTls(null, verifier);
    }
    Map<String, Object> ssl = new HashMap<>();
    if (trust.location() != null) {
      check(trust);
      ssl.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.location());
      ssl.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trust.password());
      ssl.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, trust.type());
      // loaded alone first, so that a failure is the trust store's and its message can say so
      SSLSocketFactory trusting = load(ssl, trust);
      if (keys.location() == null) {
        return new RegistryTls(trusting, verifier);
      }
    }
    check(keys);
    ssl.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keys.location());
    ssl.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keys.password());
    ssl.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, keys.type());
    ssl.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyPassword);
    return new RegistryTls(load(ssl, keys), verifier);
  }

  /** The factory {@link #apply} gives connections: this one's, or the JVM's default. */
  SSLSocketFactory socketFactory() {
    return socketFactory != null ? socketFactory : HttpsURLConnection.getDefaultSSLSocketFactory();
  }

  /** Applies these settings to a connection to an {@code https} URL. */
  void apply(HttpsURLConnection connection) {
    if (socketFactory != null) {
      connection.setSSLSocketFactory(socketFactory);
    }
    if (hostnameVerifier != null) {
      // a verifier of our own also stops HttpsURLConnection from asking the handshake to check the
      // host: this one accepts any, as the empty algorithm says
      connection.setHostnameVerifier(hostnameVerifier);
    }
  }

  private static String location(RegistryConfig config, String key) {
    String value = config.getString(key);
    // Confluent's default is "", and templated configurations carry it: the same as unset
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static void requireLocation(Store store, boolean set, String key) {
    if (set && store.location() == null) {
      throw new ConfigException(key, "[hidden]", "it has no " + store.what() + " to open: "
          + store.locationKey() + " is not set");
    }
  }

  /** The mistakes told apart before Kafka's loader, whose messages would not name the key. */
  private static void check(Store store) {
    Path file = Path.of(store.location());
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(store.locationKey(), store.location(),
          Files.exists(file) ? "not a readable file" : "no such file");
    }
    if (store.pem() && store.password() != null) {
      throw new ConfigException(store.passwordKey(), "[hidden]", "a PEM " + store.what()
          + " has no password" + (store.keyStore()
              ? " (an encrypted PEM key takes " + KEY_PASSWORD + ")" : "") + "; remove it");
    }
    if (!store.pem() && store.password() == null && store.keyStore()) {
      throw new ConfigException(store.passwordKey() + " is required with a " + store.type()
          + " key store (" + store.locationKey() + ")");
    }
  }

  /**
   * Builds the context from {@code ssl} with Kafka's loader; a failure is {@code blamed}'s (every
   * store loaded before it loaded alone).
   */
  private static SSLSocketFactory load(Map<String, Object> ssl, Store blamed) {
    // Kafka's defaults for the keys not given (protocols, algorithms), parsed as a client parses them
    Map<String, Object> values = new HashMap<>(
        new AbstractConfig(new ConfigDef().withClientSslSupport(), ssl, false).values());
    try (DefaultSslEngineFactory factory = new DefaultSslEngineFactory()) {
      factory.configure(values);
      return factory.sslContext().getSocketFactory();
    } catch (RuntimeException e) {
      throw blame(blamed, e, blamed.pem() && blamed.keyStore() && ssl.get(SslConfigs.SSL_KEY_PASSWORD_CONFIG) != null);
    }
  }

  /**
   * The refusal of {@code store}, naming the key to fix.
   *
   * @param decryptingPemKey the store is a PEM key store whose key the key password decrypts
   */
  private static ConfigException blame(Store store, RuntimeException e, boolean decryptingPemKey) {
    String reason = rootMessage(e);
    boolean password = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      // a wrong password fails the store's integrity check or the key's decryption; about one wrong
      // password in 256 decrypts a PEM key to bytes whose padding looks right, which then fail to
      // parse as a key (InvalidKeySpecException, "Invalid lenByte"): the password still
      password |= t instanceof UnrecoverableKeyException || t instanceof BadPaddingException
          || decryptingPemKey && t instanceof InvalidKeySpecException
          || t.getMessage() != null && t.getMessage().contains("password");
    }
    if (password) {
      // JKS and PKCS12 check the store's password on load ("Failed to load ..."), the key's when the
      // key is recovered afterwards; a PEM key store's only password is the key's
      boolean storePassword = !store.pem() && String.valueOf(e.getMessage()).startsWith("Failed to load");
      boolean keyPassword = store.keyStore() && !storePassword;
      return new ConfigException(keyPassword ? KEY_PASSWORD : store.passwordKey(), "[hidden]",
          "wrong password for the " + (keyPassword ? "key in the " : "") + store.what() + " "
              + store.location() + " (" + reason + ")");
    }
    String pemKey = store.pem() && store.keyStore() ? "; a PEM key store holds a PKCS#8 key (BEGIN "
        + "PRIVATE KEY, or BEGIN ENCRYPTED PRIVATE KEY with PBES1 encryption and " + KEY_PASSWORD
        + ") and its certificate chain" : "";
    return new ConfigException(store.locationKey(), store.location(), "cannot be read as a "
        + store.type() + " " + store.what() + " (" + store.typeKey() + "): " + reason + pemKey);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
