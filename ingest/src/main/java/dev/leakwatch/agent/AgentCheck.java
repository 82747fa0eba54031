package dev.leakwatch.agent;

import dev.leakwatch.agent.config.AgentConfig;
import dev.leakwatch.agent.config.AgentConfigLoader;
import dev.leakwatch.agent.config.ConfigException;
import dev.leakwatch.agent.config.Durations;
import dev.leakwatch.agent.config.KubernetesSettings;
import dev.leakwatch.agent.config.TargetParser;
import dev.leakwatch.agent.discovery.FileDiscovery;
import dev.leakwatch.agent.model.ProfileKind;
import dev.leakwatch.agent.model.Target;
import dev.leakwatch.agent.publish.ProducerSettings;
import dev.leakwatch.schemas.avro.ProfileEnvelope;
import dev.leakwatch.schemas.serde.LeakwatchSerdes;
import dev.leakwatch.schemas.settings.KafkaClientChecks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * What {@code agent --check} verifies: everything {@link Agent#start} checks before it reaches out,
 * without reaching out. A configuration that passes starts, unless something only the network or
 * the host can refuse stops it (Kafka or a schema registry unreachable or refusing the credentials,
 * a bootstrap name that does not resolve here, the HTTP port taken, the API server refusing the
 * service account).
 *
 * <p>Checked: the cross-section rules of {@link AgentConfigLoader#validate}; the producer settings
 * as the Kafka client parses them (types, ranges, enum values), its bootstrap addresses, TLS
 * stores and JAAS entry as building it checks them ({@link KafkaClientChecks}), and the serde's;
 * the target files as they are now (parsed, identities unique with the static targets), as the agent's start reads
 * them. Loading the file, which the caller did, has already checked every key, the TLS material
 * (scrape and Kubernetes authorities, read and parsed) and the environment variables a setting names.
 */
public final class AgentCheck {

  private AgentCheck() {}

  /**
   * Checks {@code cfg} as above and describes what the agent would run, one line per aspect.
   *
   * @throws ConfigException with the message the agent's start would give
   */
  public static List<String> summary(AgentConfig cfg) {
    AgentConfigLoader.validate(cfg);
    Map<String, Object> props = ProducerSettings.of(cfg);
    try {
      Map<String, Object> parsed = new HashMap<>(props);
      // the agent hands its serializers to the producer as objects, not as settings
      parsed.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      parsed.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      KafkaClientChecks.check(new ProducerConfig(parsed)); // what building the producer checks before it connects
      try (Serde<ProfileEnvelope> serde = LeakwatchSerdes.profileEnvelope(new HashMap<>(props), false)) {
        serde.serializer(); // built as the agent builds it: a registry setting it refuses shows here
      }
    } catch (KafkaException e) {
      throw ProducerSettings.refused(e);
    }
    List<Target> listed =
        FileDiscovery.readNow(cfg.discovery().files(), new TargetParser(cfg.scrape()), cfg.targets());
    List<String> lines = new ArrayList<>();
    lines.add("agent " + cfg.agentId() + " publishes to topic " + cfg.kafka().topic() + " at "
        + props.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) + " (not contacted)");
    KubernetesSettings k8s = cfg.discovery().kubernetes();
    if (listed.isEmpty() && cfg.discovery().files().isEmpty() && k8s == null) {
      lines.add("targets: none (nothing to scrape)");
    } else {
      lines.add("targets: " + cfg.targets().size() + " static, " + (listed.size() - cfg.targets().size())
          + " in " + cfg.discovery().files().size() + " target file(s) now"
          + (cfg.scrape().shard().count() == 1 ? ""
              : "; shard " + cfg.scrape().shard() + " scrapes " + cfg.scrape().shard().select(listed).size()
                  + " of them"));
      if (k8s != null) {
        lines.add("pods: watched at " + k8s.apiServer() + " (not contacted), "
            + (k8s.namespaces().isEmpty() ? "every namespace" : "namespaces " + k8s.namespaces())
            + (k8s.node() == null ? "" : ", node " + k8s.node())
            + (k8s.labelSelector() == null ? "" : ", labelSelector " + k8s.labelSelector()));
      }
      lines.add("scrape: " + cfg.scrape().profiles().stream().map(ProfileKind::endpoint).toList() + " every "
          + Durations.format(cfg.scrape().interval()) + " (targets may set their own), at most "
          + cfg.scrape().maxConcurrent() + " at once");
    }
    lines.add("http: " + cfg.http().host() + ":" + cfg.http().port()
        + (cfg.push().enabled()
            ? ", POST /ingest with " + (cfg.push().tokens().isEmpty() ? "no token" : cfg.push().tokens().size()
                + " token(s)")
            : ", push off"));
    return lines;
  }
}
