package dev.leakwatch.schemas.registry;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks Confluent's {@code basic.auth.credentials.source} and {@code bearer.auth.credentials.source}:
 * the one source each that Leakwatch supports passes (so Confluent configurations, which set it next
 * to the credentials, carry over), and every other source Confluent defines is refused with what to
 * give instead: silently ignoring it would send no credentials, or others than the operator meant.
 * Case is ignored; unset passes.
 */
final class CredentialsSource implements ConfigDef.Validator {

  private static final String OWN_REGISTRY = "a SchemaRegistry of your own as "
      + RegistryConfig.REGISTRY_CLASS;
  private static final String GIVE_USER_INFO = "give the registry's user:password as "
      + RegistryConfig.BASIC_AUTH_USER_INFO + " (with this set to " + RegistryConfig.USER_INFO
      + ", or left out)";
  private static final String GIVE_TOKEN = "give a token as " + RegistryConfig.BEARER_AUTH_TOKEN
      + " (with this set to " + RegistryConfig.STATIC_TOKEN + ", or left out)";

  /** {@code basic.auth.credentials.source}. */
  static final CredentialsSource BASIC = new CredentialsSource(RegistryConfig.USER_INFO, Map.of(
      "URL", "Confluent's URL source reads user:password@ in " + RegistryConfig.URL
          + ", which Leakwatch refuses (the URL is printed in messages); " + GIVE_USER_INFO,
      "SASL_INHERIT", "Confluent's SASL_INHERIT reuses the Kafka client's SASL credentials, which "
          + "Leakwatch's serdes do not read; " + GIVE_USER_INFO));

  /** {@code bearer.auth.credentials.source}. */
  static final CredentialsSource BEARER = new CredentialsSource(RegistryConfig.STATIC_TOKEN, Map.of(
      "OAUTHBEARER", "Confluent's OAUTHBEARER fetches tokens from an OAuth issuer, which Leakwatch's "
          + "serdes do not; " + GIVE_TOKEN + ", or plug in " + OWN_REGISTRY,
      "SASL_OAUTHBEARER_INHERIT", "Confluent's SASL_OAUTHBEARER_INHERIT reuses the Kafka client's "
          + "OAUTHBEARER login, which Leakwatch's serdes do not read; " + GIVE_TOKEN + ", or plug in "
          + OWN_REGISTRY,
      "CUSTOM", "Confluent's CUSTOM loads a bearer.auth.custom.provider.class, which Leakwatch's "
          + "serdes do not; plug in " + OWN_REGISTRY + " instead, or " + GIVE_TOKEN));

  private final String supported;
  private final Map<String, String> refusals;

  private CredentialsSource(String supported, Map<String, String> refusals) {
    this.supported = supported;
    this.refusals = refusals;
  }

  @Override
  public void ensureValid(String name, Object value) {
    if (value == null) {
      return;
    }
    String source = value.toString().strip().toUpperCase(Locale.ROOT);
    if (source.equals(supported)) {
      return;
    }
    throw new ConfigException(name, value, refusals.getOrDefault(source,
        "expected " + supported + ", the only source Leakwatch supports"));
  }

  @Override
  public String toString() {
    return supported;
  }
}
