package dev.leakwatch.schemas.settings;

import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.network.ConnectionMode;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.ssl.SslFactory;
import org.apache.kafka.common.utils.Utils;

/**
 * The checks a Kafka client makes of its settings while it is built, before it connects, beyond
 * parsing them: each {@code bootstrap.servers} entry is a {@code host:port} with a port in range;
 * for {@code SSL} and {@code SASL_SSL} the key and trust stores are read and an SSL context made of
 * them; for {@code SASL_*} the JAAS configuration is parsed and must name a login module. Parsing
 * the settings ({@code new ProducerConfig(...)} and the like) does none of this, nor does it load
 * the plugin classes named in a list ({@code interceptor.classes}, {@code metric.reporters}), which
 * building the client loads and must be of the plugin's type, so a configuration
 * check that stopped there would pass a keystore that does not exist, which the start then refuses.
 *
 * <p>Unlike building the client this resolves no name, makes no plugin instance (its own
 * {@code configure} may reach out) and logs in to nothing: a SASL login may
 * reach out (a Kerberos KDC, an OAuth token endpoint), so what it refuses still shows only at start.
 */
public final class KafkaClientChecks {

  private static final int MAX_PORT = 65535;
  /**
   * How Kafka's JAAS parser refuses a key without a value. A password with an unquoted space or a
   * stray {@code "} puts its rest in a key's place ({@code password=pa ss-word;}): not quoted.
   */
  private static final Pattern JAAS_KEY = Pattern.compile("Value not specified for key '.*' in JAAS config");
  private static final String JAAS_KEY_WITHHELD = "Value not specified for a key in JAAS config (the key is not"
      + " quoted: the rest of a password with a space or a double quote lands there; give each value in double quotes)";

  private KafkaClientChecks() {}

  /**
   * Checks {@code client} (a parsed client configuration) as above.
   *
   * @throws KafkaException with the client's own message when it would refuse them
   */
  public static void check(AbstractConfig client) {
    for (String url : client.getList(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      String host = Utils.getHost(url);
      Integer port = Utils.getPort(url);
      if (host == null || port == null) {
        throw new ConfigException("Invalid url in " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + ": " + url);
      }
      if (port > MAX_PORT) { // as the client refuses it, without resolving the host
        throw new ConfigException("Invalid port in " + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG + ": " + url);
      }
    }
    plugins(client, CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, MetricsReporter.class);
    if (client instanceof ProducerConfig) {
      plugins(client, ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, ProducerInterceptor.class);
    } else if (client instanceof ConsumerConfig) {
      plugins(client, ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ConsumerInterceptor.class);
    }
    Map<String, ?> values = client.values();
    SecurityProtocol protocol =
        SecurityProtocol.forName(client.getString(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG));
    try {
      if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
        JaasContext.loadClientContext(values);
      }
      if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
        try (SslFactory ssl = new SslFactory(ConnectionMode.CLIENT)) {
          ssl.configure(values);
        }
      }
    } catch (IllegalArgumentException e) {
      // how the JAAS parser refuses; building the client wraps it in a KafkaException too
      throw new KafkaException(e.getMessage(), e);
    }
  }

  /** Loads each class {@code key} lists, as building the client does, and checks it is a {@code type}. */
  private static void plugins(AbstractConfig client, String key, Class<?> type) {
    for (String name : client.getList(key)) {
      Class<?> c;
      try {
        c = Class.forName(name, false, Utils.getContextOrKafkaClassLoader());
      } catch (ClassNotFoundException e) {
        throw new KafkaException("Class " + name + " cannot be found", e);
      }
      if (!type.isAssignableFrom(c)) {
        throw new KafkaException(name + " is not an instance of " + type.getName());
      }
    }
  }

  /**
   * The messages of {@code e} and its causes, each once: a Kafka client wraps the telling one
   * ("Failed to construct kafka producer: ...: Failed to load SSL keystore ..."). The key Kafka's JAAS
   * parser quotes when it finds one without a value is left out ({@link #JAAS_KEY}).
   */
  public static String messages(Throwable e) {
    StringJoiner out = new StringJoiner(": ");
    String last = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      m = JAAS_KEY.matcher(m).replaceAll(JAAS_KEY_WITHHELD);
      if (!m.equals(last)) {
        out.add(m);
      }
      last = m;
    }
    return out.toString();
  }
}
